import type { IncomingMessage, ServerResponse } from 'node:http';

import type { FastifyHelmetOptions } from '@fastify/helmet';
import helmet from 'helmet';

import { clerkFrontendApiOrigin } from './clerk-frontend-api.js';

export interface SecurityHeadersSettings {
  /** Strict-Transport-Security max-age in seconds; 0 sends none (only behind TLS should it be on). */
  hstsMaxAgeSeconds: number;
  /** The Clerk publishable key the web app signs in with, when sign-in is on: its Frontend API is allowed. */
  clerkPublishableKey?: string;
}

/** What Clerk's browser SDK needs besides its Frontend API (Clerk's CSP guide): avatars, bot protection. */
const CLERK_IMAGES = 'https://img.clerk.com';
const CLERK_CHALLENGES = 'https://challenges.cloudflare.com';

/**
 * The security headers of every response (helmet 8's, tightened): a content security policy
 * under which the web app (its own scripts, Angular Material's inline styles, the API on the same
 * origin, Clerk when configured) and Swagger UI load, and nothing may frame the service; no
 * MIME sniffing; no referrer beyond the origin; HSTS only when configured.
 */
export function securityHeadersOptions(settings: SecurityHeadersSettings): FastifyHelmetOptions {
  const clerk = clerkFrontendApiOrigin(settings.clerkPublishableKey);
  const withClerk = (...extra: string[]): string[] => (clerk ? [clerk, ...extra] : []);
  const hsts = settings.hstsMaxAgeSeconds > 0;
  return {
    contentSecurityPolicy: {
      useDefaults: false,
      directives: {
        'default-src': ["'self'"],
        'base-uri': ["'self'"],
        'object-src': ["'none'"],
        'frame-ancestors': ["'none'"],
        'form-action': ["'self'"],
        'script-src': ["'self'", ...withClerk(CLERK_CHALLENGES)],
        'script-src-attr': ["'none'"],
        'style-src': ["'self'", "'unsafe-inline'"],
        'img-src': ["'self'", 'data:', ...withClerk(CLERK_IMAGES)],
        'font-src': ["'self'", 'data:'],
        'connect-src': ["'self'", ...withClerk()],
        'frame-src': clerk ? [clerk, CLERK_CHALLENGES] : ["'none'"],
        'worker-src': ["'self'", 'blob:'],
        // only behind TLS: over plain http (development) it would send the app's own requests to https
        ...(hsts ? { 'upgrade-insecure-requests': [] } : {}),
      },
    },
    // Clerk may sign in through a pop-up window (OAuth): keep the opener for same-origin pop-ups
    crossOriginOpenerPolicy: { policy: 'same-origin-allow-popups' },
    referrerPolicy: { policy: 'strict-origin-when-cross-origin' },
    strictTransportSecurity: hsts ? { maxAge: settings.hstsMaxAgeSeconds, includeSubDomains: false } : false,
    xFrameOptions: { action: 'deny' },
  };
}

/**
 * The same headers as a fixed list, for the answers written before any hook runs (the router's
 * refusals, the HTTP parser's): helmet writes them onto a stand-in response once.
 */
export function securityHeaderList(options: FastifyHelmetOptions): [string, string][] {
  const headers = new Map<string, string>();
  const sink = {
    setHeader: (name: string, value: string | number | readonly string[]) => headers.set(name.toLowerCase(), String(value)),
    removeHeader: (name: string) => headers.delete(name.toLowerCase()),
  };
  // the same options, seen through helmet's ESM typings (@fastify/helmet's are the CommonJS ones)
  helmet(options as Parameters<typeof helmet>[0])({} as IncomingMessage, sink as unknown as ServerResponse, (error?: unknown) => {
    if (error) throw error instanceof Error ? error : new Error('helmet refused the security header options');
  });
  return [...headers];
}
