import { signIdentity } from '@inkwell/auth-guard';
import { IDENTITY_HEADER, type Identity, RegistryActiveSet } from '@inkwell/contracts';

/** How inference signs its own calls: the gateway's secret, no user (the trainer's internal route needs no role). */
const INFERENCE_IDENTITY: Identity = { kind: 'guest', sub: null, role: null, email: null, session_id: null, ip: '127.0.0.1', user_agent: 'inkwell-inference' };

/** The set the trainer's registry says to serve (`GET <trainer>/internal/models/active-set`). */
export async function fetchActiveSet(registryUrl: string, internalSecret: string, timeoutMs = 3000): Promise<RegistryActiveSet> {
  const res = await fetch(new URL('/internal/models/active-set', registryUrl), {
    headers: { [IDENTITY_HEADER]: signIdentity(INFERENCE_IDENTITY, internalSecret) },
    signal: AbortSignal.timeout(timeoutMs),
  });
  if (!res.ok) throw new Error(`the registry answered ${res.status}`);
  return RegistryActiveSet.parse(await res.json());
}
