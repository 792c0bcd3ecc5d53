import { isIPv4, isIPv6 } from 'node:net';

/** An address as its bytes: 4 for IPv4, 16 for IPv6. */
export type AddressBytes = Uint8Array;

const ipv4Bytes = (address: string): AddressBytes => Uint8Array.from(address.split('.').map(Number));

/** The 16 bytes of an IPv6 address in any textual form (`::`, an IPv4 tail, a `%zone`). */
function ipv6Bytes(address: string): AddressBytes {
  const bare = address.replace(/%.*$/, '');
  const [head = '', tail] = bare.split('::') as [string, string | undefined];
  const groups = (part: string): number[] => {
    if (part === '') return [];
    return part.split(':').flatMap((group) => {
      if (group.includes('.')) {
        const [a = 0, b = 0, c = 0, d = 0] = ipv4Bytes(group);
        return [(a << 8) | b, (c << 8) | d];
      }
      return [parseInt(group, 16)];
    });
  };
  const left = groups(head);
  const right = tail === undefined ? [] : groups(tail);
  const words = [...left, ...new Array<number>(8 - left.length - right.length).fill(0), ...right];
  const bytes = new Uint8Array(16);
  words.forEach((word, i) => {
    bytes[2 * i] = word >> 8;
    bytes[2 * i + 1] = word & 0xff;
  });
  return bytes;
}

/** The bytes of a literal IP address, or null when `address` is not one. */
export function parseIpAddress(address: string): AddressBytes | null {
  if (isIPv4(address)) return ipv4Bytes(address);
  if (isIPv6(address)) return ipv6Bytes(address);
  return null;
}

/** Whether the first `prefix` bits of `bytes` equal those of `network` (same length). */
export function inPrefix(bytes: AddressBytes, network: AddressBytes, prefix: number): boolean {
  if (bytes.length !== network.length) return false;
  for (let bit = 0; bit < prefix; bit += 8) {
    const take = Math.min(8, prefix - bit);
    const mask = (0xff << (8 - take)) & 0xff;
    const i = bit / 8;
    if (((bytes[i] ?? 0) & mask) !== ((network[i] ?? 0) & mask)) return false;
  }
  return true;
}

/** The four bytes at `offset` as an IPv4 address (an address embedded in an IPv6 one). */
export const embeddedIpv4 = (bytes: AddressBytes, offset: number): AddressBytes => bytes.slice(offset, offset + 4);

export const formatIpv4 = (bytes: AddressBytes): string => Array.from(bytes).join('.');
