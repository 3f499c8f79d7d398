// Creates auth's RS256 signing key (PKCS#8 PEM, the format apps/auth loads) when it is missing, and
// leaves an existing one alone, so running it on every `docker compose up` is safe. In production
// auth refuses to invent a key (tokens would stop verifying on every restart), so something must
// provide one: this script for compose, a Secret for Kubernetes (infra/README.md).
//   node generate-jwt-key.mjs [path]   (default: the auth default, .data/keys/jwt-private.pem)
import { generateKeyPairSync } from 'node:crypto';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';

const path = process.argv[2] ?? '.data/keys/jwt-private.pem';
if (existsSync(path)) {
  console.log(`jwt key: keeping ${path}`);
} else {
  const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
  // `wx`: if two runs race, the second fails instead of replacing the key the first one wrote.
  writeFileSync(path, privateKey.export({ type: 'pkcs8', format: 'pem' }), { mode: 0o600, flag: 'wx' });
  console.log(`jwt key: created ${path}`);
}
