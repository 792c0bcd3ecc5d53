import { createHash, timingSafeEqual } from 'node:crypto';

const digest = (token: string): Buffer => createHash('sha256').update(token, 'utf8').digest();

/**
 * Checks a presented bearer token against the configured one in constant time: both are hashed
 * first, so neither their contents nor their lengths show in how long the comparison takes.
 */
export class MetricsToken {
  private readonly expected: Buffer;

  constructor(token: string) {
    this.expected = digest(token);
  }

  /** `authorization`: the request's Authorization header. */
  accepts(authorization: string | undefined): boolean {
    const presented = /^Bearer +(\S+) *$/i.exec(authorization ?? '')?.[1];
    // hashed and compared even when absent, so a missing header takes as long as a wrong one
    return timingSafeEqual(digest(presented ?? ''), this.expected) && presented !== undefined;
  }
}
