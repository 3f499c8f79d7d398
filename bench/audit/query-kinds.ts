/** One kind of search an admin makes; `query(i)` varies its values from run to run. */
export interface QueryKind {
  readonly name: string;
  query(run: number): Record<string, string>;
}

/** A small seeded generator (mulberry32): the same values every bench run. */
function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * The kinds measured: no filter, each filter alone, the keyword (common, selective, rare, absent),
 * combinations, and deep cursor pages. Values follow fill-events.ts: users u-00000..u-01999 (low
 * numbers busiest), keys key-0..key-299, IPs 10.a.b.c, datasets ds-0..ds-499.
 */
export function queryKinds(opts: { readonly count: number; readonly days: number; readonly now: Date; readonly words: readonly string[] }): QueryKind[] {
  const DAY = 86_400_000;
  const pick = <T>(xs: readonly T[], r: number): T => xs[Math.floor(r * xs.length)] as T;
  const user = (r: number) => `u-${String(Math.floor(2000 * r)).padStart(5, '0')}`;
  const ip = (r: number) => {
    const h = Math.floor(r * 5000);
    return `10.${h % 20}.${Math.floor(h / 20) % 250}.${1 + (h % 7)}`;
  };
  const day = (r: number) => {
    const from = new Date(opts.now.getTime() - Math.floor(1 + r * (opts.days - 2)) * DAY);
    return { from: from.toISOString(), to: new Date(from.getTime() + DAY).toISOString() };
  };
  const week = { from: new Date(opts.now.getTime() - 7 * DAY).toISOString() };
  const kind = (name: string, make: (r: () => number) => Record<string, string>): QueryKind => ({ name, query: (run) => make(rng(run * 7919 + name.length)) });
  return [
    kind('no filter: first page (50)', () => ({})),
    kind('no filter: a page of 500', () => ({ limit: '500' })),
    kind('from/to: one day, 1-80 days ago', (r) => day(r())),
    kind('from: the last 7 days', () => week),
    kind('actor: a user id', (r) => ({ actor: user(r()) })),
    kind('actor: a user e-mail, upper case', (r) => ({ actor: `USER${Math.floor(2000 * r())}@EXAMPLE.COM` })),
    kind('actor: an API key id', (r) => ({ actor: `key-${Math.floor(300 * r())}` })),
    kind('type=system', () => ({ type: 'system' })),
    kind('type: api / user', (r) => ({ type: r() < 0.5 ? 'api' : 'user' })),
    kind('action: exact', (r) => ({ action: pick(['auth.login', 'trainer.job.create', 'auth.refresh.reuse', 'inference.model.swap'], r()) })),
    kind('action: prefix', (r) => ({ action: pick(['auth.*', 'trainer.*', 'trainer.dataset.*', 'inference.*'], r()) })),
    kind('resource: type and id', (r) => ({ resource_type: 'dataset', resource_id: `ds-${Math.floor(500 * r())}` })),
    kind('resource: id alone', (r) => ({ resource_id: `job-${Math.floor(5000 * r())}` })),
    kind('result=failure', () => ({ result: 'failure' })),
    kind('ip', (r) => ({ ip: ip(r()) })),
    kind('q: common (predict)', () => ({ q: 'predict' })),
    kind('q: selective (bad_password)', () => ({ q: 'bad_password' })),
    kind('q: a note word', (r) => ({ q: pick(opts.words, r()) })),
    kind('q: rare (word + number)', (r) => ({ q: `${pick(opts.words, r())} ${Math.floor(997 * r())}` })),
    kind('q: nothing matches', (r) => ({ q: `zq${Math.floor(1e6 * r())}x` })),
    kind('actor + type + result', (r) => ({ actor: user(r() * 0.3), type: 'api', result: 'failure' })),
    kind('action prefix + result + last 7 days', (r) => ({ action: pick(['auth.*', 'trainer.*'], r()), result: 'failure', ...week })),
    kind('q + type + one day', (r) => ({ q: 'bad_password', type: 'user', ...day(r()) })),
    kind('ip + action', (r) => ({ ip: ip(r()), action: 'api.request' })),
    kind('a rare user + one day', (r) => ({ actor: user(0.5 + r() * 0.5), ...day(r()) })),
    kind('resource + result + q', (r) => ({ resource_type: 'route', result: 'failure', q: pick(['predict', 'datasets', 'models'], r()) })),
    kind('deep cursor: a page near the oldest', (r) => ({ cursor: String(1 + Math.floor(r() * 2000)) })),
    kind('deep cursor: mid-log page with an actor', (r) => ({ cursor: String(Math.floor(opts.count / 2 + r() * 1000)), actor: user(r() * 0.2) })),
    kind('deep cursor + type=system', (r) => ({ cursor: String(Math.floor(opts.count * 0.1 * r()) + 2), type: 'system' })),
  ];
}
