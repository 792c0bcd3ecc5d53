/**
 * Build-time settings for the browser app.
 *
 * - `apiBaseUrl`: where the backend lives. `/` means same origin: the backend serves the
 *   knowledge API under `/routes/knowledge/...` (in development `ng serve` proxies it, see
 *   proxy.conf.json). Whether sign-in is on, and Clerk's publishable key, come from the backend at
 *   start-up (GET /routes/knowledge/client-config), so one build serves every deployment.
 */
export interface Environment {
  readonly apiBaseUrl: string;
}

export const environment: Environment = {
  apiBaseUrl: '/',
};
