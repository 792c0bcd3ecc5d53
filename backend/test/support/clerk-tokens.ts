import { createSign, generateKeyPairSync, type KeyObject } from 'node:crypto';

const b64url = (value: Buffer | string): string => Buffer.from(value).toString('base64url');

export interface SigningKey {
  kid: string;
  privateKey: KeyObject;
  /** SPKI PEM, the form Clerk shows as the "JWT public key" (CLERK_JWT_KEY). */
  publicPem: string;
}

export function generateSigningKey(kid = 'ins_test_key'): SigningKey {
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  return { kid, privateKey, publicPem: publicKey.export({ type: 'spki', format: 'pem' }).toString() };
}

/** Signs an RS256 JWT shaped like a Clerk session token. */
export function signToken(key: SigningKey, claims: Record<string, unknown>): string {
  const header = b64url(JSON.stringify({ alg: 'RS256', typ: 'JWT', kid: key.kid }));
  const payload = b64url(JSON.stringify(claims));
  const signature = createSign('RSA-SHA256').update(`${header}.${payload}`).sign(key.privateKey);
  return `${header}.${payload}.${b64url(signature)}`;
}

export interface SessionOptions {
  orgId?: string;
  orgSlug?: string;
  orgRole?: string;
  version?: 1 | 2;
  azp?: string;
  /** seconds from now; negative for an expired token */
  expiresIn?: number;
  userId?: string;
}

/** Claims of a Clerk session token, v2 (`o: {id, slg, rol}`) by default or v1 (`org_*`). */
export function sessionClaims(options: SessionOptions = {}): Record<string, unknown> {
  const now = Math.floor(Date.now() / 1000);
  const expiresIn = options.expiresIn ?? 300;
  const base: Record<string, unknown> = {
    sub: options.userId ?? 'user_test_1',
    sid: 'sess_test_1',
    iss: 'https://clerk.test.example',
    azp: options.azp ?? 'http://localhost:4200',
    iat: Math.min(now, now + expiresIn) - 10,
    nbf: Math.min(now, now + expiresIn) - 10,
    exp: now + expiresIn,
  };
  if (options.orgSlug === undefined) return { ...base, v: options.version ?? 2 };
  if ((options.version ?? 2) === 2) {
    return { ...base, v: 2, o: { id: options.orgId ?? 'org_test_1', slg: options.orgSlug, rol: (options.orgRole ?? 'org:admin').replace(/^org:/, '') } };
  }
  return { ...base, org_id: options.orgId ?? 'org_test_1', org_slug: options.orgSlug, org_role: options.orgRole ?? 'org:admin' };
}
