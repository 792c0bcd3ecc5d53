/**
 * The origin of Clerk's Frontend API that the web app loads Clerk from, read from the publishable
 * key: after `pk_test_` or `pk_live_` comes the base64 of the host followed by `$`
 * (`pk_test_` + base64("foo-bar-13.clerk.accounts.dev$")). Null when the key does not decode to a
 * plausible host name, so nothing odd ever reaches the content security policy.
 */
export function clerkFrontendApiOrigin(publishableKey: string | undefined): string | null {
  const encoded = /^pk_(?:test|live)_([A-Za-z0-9+/=_-]+)$/.exec(publishableKey ?? '')?.[1];
  if (!encoded) return null;
  const decoded = Buffer.from(encoded, 'base64').toString('utf8');
  const host = decoded.endsWith('$') ? decoded.slice(0, -1) : '';
  return /^[a-z0-9](?:[a-z0-9-]*[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]*[a-z0-9])?)+$/i.test(host) ? `https://${host.toLowerCase()}` : null;
}
