/** Headers a response carries, whoever writes it (a route, the 404 handler, the router's or the HTTP parser's refusals). */
export type ResponseHeaders = (url: string, requestId: string) => [name: string, value: string][];

/** `headers` and then a fixed list (see securityHeaderList). */
export const withHeaders =
  (headers: ResponseHeaders, extra: [string, string][]): ResponseHeaders =>
  (url, requestId) => [...headers(url, requestId), ...extra];

/** The API's own paths: tenant data and errors about it must never be kept by a browser or a proxy. */
const isApiPath = (url: string): boolean => url.startsWith('/routes/');

/**
 * The request id (also in every log line and error body), the development-mode marker, and
 * `Cache-Control: no-store` on everything under `/routes/` (a route may still set its own, as
 * the event streams do; the web app's files keep theirs). Security headers are added by helmet.
 */
export const responseHeaders =
  (authMode: 'clerk' | 'development'): ResponseHeaders =>
  (url, requestId) => {
    const headers: [string, string][] = [['x-request-id', requestId]];
    if (authMode === 'development') headers.push(['x-auth-mode', 'development']);
    if (isApiPath(url)) headers.push(['cache-control', 'no-store']);
    return headers;
  };
