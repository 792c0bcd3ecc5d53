/**
 * Parses and checks a user-supplied source URL: absolute, http or https, no credentials; the
 * fragment is dropped (it never reaches the server). Used where a URL is accepted (the API's
 * intake, for a 400) and where it is fetched (again, after redirects). The message suits a 400.
 */
export function parseSourceUrl(value: string): URL {
  let url: URL;
  try {
    url = new URL(value.trim());
  } catch {
    throw new Error(`url is not a valid absolute URL: ${JSON.stringify(value.slice(0, 200))}`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new Error(`url must use http or https, not ${url.protocol.replace(':', '')}`);
  if (url.username || url.password) throw new Error('url must not contain credentials');
  url.hash = '';
  return url;
}
