import { isIPv4, isIPv6 } from 'node:net';

/** Expands an IPv6 address to its eight 16-bit groups (`::` filled with zeros), or null if it has an embedded IPv4 tail we do not handle. */
function ipv6Groups(ip: string): number[] | null {
  const [head = '', tail] = ip.split('::');
  const parse = (part: string) => (part === '' ? [] : part.split(':').map((g) => Number.parseInt(g, 16)));
  const left = parse(head);
  const right = tail === undefined ? [] : parse(tail);
  if (left.some(Number.isNaN) || right.some(Number.isNaN)) return null;
  const groups = tail === undefined ? left : [...left, ...new Array<number>(8 - left.length - right.length).fill(0), ...right];
  return groups.length === 8 ? groups : null;
}

/**
 * The unit that rate limits and sign-in throttles count a client by. An IPv4 address (also written
 * IPv4-mapped, `::ffff:203.0.113.7`) is itself; an IPv6 address counts by its /64, since one host
 * (one customer line) is routinely given a whole /64 and could otherwise rotate through it for a
 * fresh budget on every request.
 */
export function clientBucket(ip: string): string {
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(ip);
  if (mapped?.[1]) return mapped[1];
  if (isIPv4(ip) || !isIPv6(ip)) return ip;
  const groups = ipv6Groups(ip.split('%')[0] ?? ip);
  if (!groups) return ip;
  return `${groups.slice(0, 4).map((g) => g.toString(16)).join(':')}::/64`;
}
