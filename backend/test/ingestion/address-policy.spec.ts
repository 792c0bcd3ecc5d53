import { refusalReason } from '../../src/ingestion/address-policy.js';
import { inPrefix, parseIpAddress } from '../../src/ingestion/ip-address.js';

const CLOSED = { allowPrivate: false, allowLoopback: false };
const LOOPBACK_ONLY = { allowPrivate: false, allowLoopback: true };

/** The literal a URL carries, as the WHATWG parser writes it (http://[::127.0.0.1]/ becomes [::7f00:1]). */
const hostOf = (url: string): string => new URL(url).hostname.replace(/^\[|\]$/g, '');

describe('IPv6 forms in the URL address policy', () => {
  it.each([
    // IPv4 addresses reached through IPv6
    ['http://[2002:7f00:1::1]/', /loopback.*6to4/],
    ['http://[2002:a00:1::1]/', /private.*10\.0\.0\.1.*6to4/],
    ['http://[2002:a9fe:a9fe::]/', /link-local.*169\.254\.169\.254.*6to4/],
    ['http://[::127.0.0.1]/', /loopback.*IPv4-compatible/],
    ['http://[::10.1.2.3]/', /private.*IPv4-compatible/],
    ['http://[::8.8.8.8]/', /IPv4-compatible/],
    ['http://[::ffff:127.0.0.1]/', /loopback.*IPv4-mapped/],
    ['http://[::ffff:10.0.0.1]/', /private.*IPv4-mapped/],
    ['http://[::ffff:169.254.169.254]/', /link-local.*IPv4-mapped/],
    ['http://[::ffff:0:192.168.0.1]/', /private.*IPv4-translated/],
    ['http://[64:ff9b::127.0.0.1]/', /loopback.*NAT64/],
    ['http://[64:ff9b::10.0.0.1]/', /private.*NAT64/],
    ['http://[64:ff9b::169.254.169.254]/', /link-local.*NAT64/],
    ['http://[64:ff9b:1::a00:1]/', /local-use NAT64/],
    // Teredo, whose IPv4 is obfuscated: refused whole
    ['http://[2001:0:4136:e378:8000:63bf:3fff:fdd2]/', /Teredo/],
    ['http://[2001::1]/', /Teredo/],
    // ranges of their own
    ['http://[fc00::1]/', /unique local/],
    ['http://[fd00:ec2::254]/', /unique local/],
    ['http://[fe80::1]/', /link-local/],
    ['http://[febf:ffff::1]/', /link-local/],
    ['http://[fec0::1]/', /site-local/],
    ['http://[ff02::1]/', /multicast/],
    ['http://[ff05::1:3]/', /multicast/],
    ['http://[::]/', /unspecified/],
    ['http://[::1]/', /loopback/],
    ['http://[100::1]/', /discard/],
    ['http://[2001:db8::1]/', /documentation/],
    ['http://[::2]/', /IPv4-compatible/],
  ])('refuses %s', (url, reason) => {
    expect(refusalReason(hostOf(url), CLOSED)).toMatch(reason);
  });

  it.each([
    ['2606:4700:4700::1111', 'a public IPv6 address'],
    ['2a00:1450:4001:81c::200e', 'a public IPv6 address'],
    ['64:ff9b::8.8.8.8', 'NAT64 of a public IPv4 address'],
    ['::ffff:8.8.8.8', 'IPv4-mapped public address'],
    ['2002:808:808::1', '6to4 of a public IPv4 address'],
    ['93.184.216.34', 'a public IPv4 address'],
  ])('allows %s (%s)', (address) => {
    expect(refusalReason(address, CLOSED)).toBeNull();
  });

  it('an embedded loopback follows the loopback setting, an embedded private address the private one', () => {
    expect(refusalReason('2002:7f00:1::1', LOOPBACK_ONLY)).toBeNull();
    expect(refusalReason('64:ff9b::7f00:1', LOOPBACK_ONLY)).toBeNull();
    expect(refusalReason('2002:a00:1::1', LOOPBACK_ONLY)).toMatch(/private/);
    expect(refusalReason('2002:a00:1::1', { allowPrivate: true, allowLoopback: false })).toBeNull();
  });

  it.each([
    ['0.0.0.0', /this network/],
    ['100.64.0.1', /carrier-grade/],
    ['192.0.2.1', /documentation/],
    ['198.18.0.1', /benchmarking/],
    ['224.0.0.1', /multicast/],
    ['255.255.255.255', /broadcast/],
  ])('refuses the IPv4 address %s', (address, reason) => {
    expect(refusalReason(address, CLOSED)).toMatch(reason);
  });

  it('refuses what is not an address at all', () => {
    expect(refusalReason('example.com', CLOSED)).not.toBeNull();
  });
});

describe('parseIpAddress', () => {
  it.each([
    ['::', '00000000000000000000000000000000'],
    ['::1', '00000000000000000000000000000001'],
    ['1::', '00010000000000000000000000000000'],
    ['2002:7f00:1::1', '20027f00000100000000000000000001'],
    ['::ffff:10.0.0.1', '00000000000000000000ffff0a000001'],
    ['fe80::1%eth0', 'fe800000000000000000000000000001'],
    ['1:2:3:4:5:6:7:8', '00010002000300040005000600070008'],
    ['10.0.0.1', '0a000001'],
  ])('reads %s', (address, hex) => {
    expect(Buffer.from(parseIpAddress(address) ?? []).toString('hex')).toBe(hex);
  });

  it('matches prefixes bit by bit', () => {
    const fe80 = parseIpAddress('fe80::')!;
    expect(inPrefix(parseIpAddress('febf::1')!, fe80, 10)).toBe(true);
    expect(inPrefix(parseIpAddress('fec0::1')!, fe80, 10)).toBe(false);
    expect(inPrefix(parseIpAddress('10.0.0.1')!, fe80, 10)).toBe(false);
  });
});
