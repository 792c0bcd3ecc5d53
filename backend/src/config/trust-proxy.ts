import { isIP } from 'node:net';

/**
 * Parses TRUST_PROXY: unset or empty trusts no proxy; a whole number 1-10 trusts that many hops
 * (the last N addresses of X-Forwarded-For are proxies); otherwise a comma-separated list of
 * addresses and CIDR ranges (`127.0.0.1, 10.0.0.0/8, fd00::/8`). `true` is refused: trusting every
 * peer would let any client choose the address its logs and rate limit are keyed by.
 * Answers the setting, or a problem naming the variable (never the value).
 */
export function parseTrustProxy(raw: string | undefined): { value: false | string[] | number } | { problem: string } {
  const text = raw?.trim() ?? '';
  if (text === '' || /^(false|0)$/i.test(text)) return { value: false };
  if (/^\d+$/.test(text)) {
    const hops = Number(text);
    return hops >= 1 && hops <= 10 ? { value: hops } : { problem: 'TRUST_PROXY: a number of proxy hops must be between 1 and 10' };
  }
  if (/^true$/i.test(text)) {
    return { problem: 'TRUST_PROXY: name the proxies (addresses or CIDR ranges) or their number of hops; true would trust any client' };
  }
  const entries = text.split(',').map((entry) => entry.trim());
  const bad = entries.filter((entry) => !isAddressOrRange(entry));
  if (bad.length > 0) return { problem: `TRUST_PROXY: ${bad.length} entr${bad.length === 1 ? 'y is' : 'ies are'} not an IP address or CIDR range` };
  return { value: entries };
}

function isAddressOrRange(entry: string): boolean {
  const [address = '', bits, extra] = entry.split('/');
  if (extra !== undefined) return false;
  const family = isIP(address);
  if (family === 0) return false;
  if (bits === undefined) return true;
  if (!/^\d{1,3}$/.test(bits)) return false;
  return Number(bits) <= (family === 4 ? 32 : 128);
}

/** The setting as Fastify's `trustProxy` takes it: a hop count as a function of the hop (as Fastify does with a number). */
export function trustedProxies(setting: false | string[] | number): boolean | string[] | ((address: string, hop: number) => boolean) {
  return typeof setting === 'number' ? (_address: string, hop: number) => hop < setting : setting;
}
