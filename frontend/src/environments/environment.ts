/**
 * Build-time settings for the browser app.
 *
 * - `apiBaseUrl`: where the backend lives. `/` means same origin: the backend serves the
 *   knowledge API under `/routes/knowledge/...` (in development `ng serve` proxies it, see
 *   proxy.conf.json).
 * - `clerkPublishableKey`: Clerk publishable key (`pk_...`). Empty means sign-in is not
 *   configured and no Clerk code is loaded or called.
 */
export interface Environment {
  readonly apiBaseUrl: string;
  readonly clerkPublishableKey: string;
}

export const environment: Environment = {
  apiBaseUrl: '/',
  clerkPublishableKey: '',
};
