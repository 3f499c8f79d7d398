import { describe, expect, it } from 'vitest';
import { clientBucket } from './client-bucket';

describe('clientBucket', () => {
  it('counts an IPv4 address by itself, however it is written', () => {
    expect(clientBucket('203.0.113.7')).toBe('203.0.113.7');
    expect(clientBucket('::ffff:203.0.113.7')).toBe('203.0.113.7');
    expect(clientBucket('::FFFF:203.0.113.7')).toBe('203.0.113.7');
  });

  it('counts every address of one IPv6 /64 as one client, and other /64s apart', () => {
    const a = clientBucket('2001:db8:1:2::1');
    expect(clientBucket('2001:db8:1:2:ffff:ffff:ffff:ffff')).toBe(a);
    expect(clientBucket('2001:0db8:0001:0002:0:0:0:9')).toBe(a);
    expect(clientBucket('2001:db8:1:2::1%eth0')).toBe(a);
    expect(clientBucket('2001:db8:1:3::1')).not.toBe(a);
    expect(clientBucket('::1')).toBe('0:0:0:0::/64');
  });

  it('leaves what is not an address as it is', () => {
    expect(clientBucket('unknown')).toBe('unknown');
  });
});
