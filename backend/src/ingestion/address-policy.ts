import { embeddedIpv4, formatIpv4, inPrefix, parseIpAddress, type AddressBytes } from './ip-address.js';

export interface AddressPolicy {
  allowPrivate: boolean;
  allowLoopback: boolean;
}

/** What an address is, when a server-side fetch must not reach it unless configured. */
interface Finding {
  kind: 'loopback' | 'private';
  what: string;
}

type Range = [network: string, prefix: number, what: string];

const compile = (ranges: Range[]): { network: AddressBytes; prefix: number; what: string }[] =>
  ranges.map(([network, prefix, what]) => {
    const bytes = parseIpAddress(network);
    if (!bytes) throw new Error(`not an address: ${network}`);
    return { network: bytes, prefix, what };
  });

/** IPv4 ranges that are not the public internet: SSRF into the service's own network or a reserved block. */
const IPV4_INTERNAL = compile([
  ['0.0.0.0', 8, '"this network"'],
  ['10.0.0.0', 8, 'private network'],
  ['100.64.0.0', 10, 'carrier-grade NAT'],
  ['169.254.0.0', 16, 'link-local, incl. cloud metadata'],
  ['172.16.0.0', 12, 'private network'],
  ['192.0.0.0', 24, 'IETF protocol assignments'],
  ['192.0.2.0', 24, 'documentation'],
  ['192.88.99.0', 24, '6to4 relay anycast'],
  ['192.168.0.0', 16, 'private network'],
  ['198.18.0.0', 15, 'benchmarking'],
  ['198.51.100.0', 24, 'documentation'],
  ['203.0.113.0', 24, 'documentation'],
  ['224.0.0.0', 4, 'multicast'],
  ['240.0.0.0', 4, 'reserved, broadcast'],
]);
const IPV4_LOOPBACK = compile([['127.0.0.0', 8, 'loopback']])[0];

/** IPv6 ranges refused whole, after the forms that embed an IPv4 address have been unwrapped; the first match names it. */
const IPV6_INTERNAL = compile([
  ['64:ff9b:1::', 48, 'local-use NAT64'],
  ['100::', 64, 'discard-only'],
  ['2001::', 32, 'Teredo tunnel'],
  ['2001:2::', 48, 'benchmarking'],
  ['2001:10::', 28, 'ORCHID'],
  ['2001:20::', 28, 'ORCHIDv2'],
  ['2001:db8::', 32, 'documentation'],
  ['3fff::', 20, 'documentation'],
  ['fc00::', 7, 'unique local'],
  ['fe80::', 10, 'link-local'],
  ['fec0::', 10, 'site-local (deprecated)'],
  ['ff00::', 8, 'multicast'],
  ['::', 8, 'reserved (::/8)'],
]);

/**
 * IPv6 forms that carry an IPv4 address, which is what they reach: judged as that address.
 * `offset` is where its four bytes sit.
 */
const IPV6_EMBEDDING = compile([
  ['::ffff:0:0', 96, 'IPv4-mapped'],
  ['::ffff:0:0:0', 96, 'IPv4-translated'],
  ['64:ff9b::', 96, 'NAT64'],
  ['2002::', 16, '6to4'],
]).map((range) => ({ ...range, offset: range.what === '6to4' ? 2 : 12 }));
const IPV4_COMPATIBLE = compile([['::', 96, 'IPv4-compatible (deprecated)']])[0];
const UNSPECIFIED = parseIpAddress('::')!;
const IPV6_LOOPBACK = parseIpAddress('::1')!;

function classifyIpv4(bytes: AddressBytes): Finding | null {
  if (inPrefix(bytes, IPV4_LOOPBACK.network, IPV4_LOOPBACK.prefix)) return { kind: 'loopback', what: 'loopback' };
  const range = IPV4_INTERNAL.find((r) => inPrefix(bytes, r.network, r.prefix));
  return range ? { kind: 'private', what: range.what } : null;
}

function classifyIpv6(bytes: AddressBytes): Finding | null {
  if (inPrefix(bytes, IPV6_LOOPBACK, 128)) return { kind: 'loopback', what: 'loopback' };
  if (inPrefix(bytes, UNSPECIFIED, 128)) return { kind: 'private', what: 'the unspecified address' };
  for (const form of IPV6_EMBEDDING) {
    if (!inPrefix(bytes, form.network, form.prefix)) continue;
    const v4 = embeddedIpv4(bytes, form.offset);
    const inner = classifyIpv4(v4);
    return inner ? { kind: inner.kind, what: `${inner.what}: IPv4 ${formatIpv4(v4)} inside a ${form.what} address` } : null;
  }
  if (inPrefix(bytes, IPV4_COMPATIBLE.network, IPV4_COMPATIBLE.prefix)) {
    // deprecated (RFC 4291) and never a public host: refused whatever it wraps
    const v4 = embeddedIpv4(bytes, 12);
    const inner = classifyIpv4(v4);
    return { kind: inner?.kind ?? 'private', what: `IPv4 ${formatIpv4(v4)} inside an ${IPV4_COMPATIBLE.what} address` };
  }
  const range = IPV6_INTERNAL.find((r) => inPrefix(bytes, r.network, r.prefix));
  return range ? { kind: 'private', what: range.what } : null;
}

/**
 * Why an address may not be fetched (for the log, never for the user: it may tell what an
 * internal name resolves to), or null when it may. Every IPv6 form that reaches an IPv4 address
 * (mapped, translated, NAT64, 6to4, IPv4-compatible) is judged by the address it reaches.
 */
export function refusalReason(rawAddress: string, policy: AddressPolicy): string | null {
  const bytes = parseIpAddress(rawAddress);
  if (!bytes) return 'not an IP address';
  const finding = bytes.length === 4 ? classifyIpv4(bytes) : classifyIpv6(bytes);
  if (!finding) return null;
  if (finding.kind === 'loopback') return policy.allowLoopback ? null : `a loopback address (${finding.what})`;
  return policy.allowPrivate ? null : `a private, link-local or reserved address (${finding.what})`;
}
