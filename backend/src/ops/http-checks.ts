import type { CheckReport } from './check-report.js';

/** Per request: a deployment that takes longer to answer a health probe is failing anyway. */
const REQUEST_TIMEOUT_MS = 10_000;

interface Fetched {
  status: number;
  contentType: string;
  body: string;
}

const reason = (error: unknown): string => {
  if (error instanceof Error && error.name === 'TimeoutError') return `no answer within ${REQUEST_TIMEOUT_MS / 1000} s`;
  const cause = error instanceof Error ? (error.cause as { code?: string; message?: string } | undefined) : undefined;
  if (cause?.code) return `cannot connect (${cause.code})`;
  return error instanceof Error ? (cause?.message ?? error.message) : String(error);
};

async function get(url: string): Promise<Fetched> {
  let response: Response;
  try {
    response = await fetch(url, { redirect: 'manual', signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS), headers: { accept: 'application/json, text/html;q=0.9' } });
  } catch (error) {
    throw new Error(`GET ${url}: ${reason(error)}`);
  }
  return { status: response.status, contentType: response.headers.get('content-type') ?? '', body: await response.text() };
}

const clip = (text: string): string => (text.length > 160 ? `${text.slice(0, 160)}…` : text);

/** A JSON answer with status 200 whose fields match `expected`; the detail is the answer itself. */
async function expectJson(url: string, expected: Record<string, string>): Promise<{ detail: string; body: Record<string, unknown> }> {
  const res = await get(url);
  if (res.contentType.includes('text/html')) throw new Error(`${res.status}: answered an HTML page, not the API`);
  let body: Record<string, unknown>;
  try {
    body = JSON.parse(res.body) as Record<string, unknown>;
  } catch {
    throw new Error(`${res.status}: not JSON: ${clip(res.body)}`);
  }
  const message = typeof body['message'] === 'string' ? `: ${body['message']}` : '';
  if (res.status !== 200) throw new Error(`${res.status}${message}`);
  for (const [key, value] of Object.entries(expected)) {
    if (body[key] !== value) throw new Error(`200 but ${key} is ${JSON.stringify(body[key])}, expected "${value}": ${clip(res.body)}`);
  }
  return { detail: `200 ${clip(res.body)}`, body };
}

/** The API answers: liveness, the knowledge service, and readiness (its database and pgvector as the server sees them). */
export async function checkBackend(report: CheckReport, baseUrl: string): Promise<void> {
  await report.check('backend GET /health', async () => (await expectJson(`${baseUrl}/health`, { status: 'healthy' })).detail);
  await report.check('backend GET /routes/knowledge/health', async () =>
    (await expectJson(`${baseUrl}/routes/knowledge/health`, { status: 'healthy', service: 'knowledge' })).detail,
  );
  await report.check('backend GET /health/ready', async () => {
    const { body } = await expectJson(`${baseUrl}/health/ready`, { status: 'ready' });
    const vector = (body['checks'] as { vector?: { version?: string } } | undefined)?.vector?.version ?? '?';
    return `200 ready (engine ${String(body['engine'])}, pgvector ${vector})`;
  });
}

/** The web app is served (an HTML page at `/`) and forwards the API (`/routes/...` reaches the backend). */
export async function checkFrontend(report: CheckReport, baseUrl: string): Promise<void> {
  await report.check('frontend GET / serves HTML', async () => {
    const res = await get(`${baseUrl}/`);
    if (res.status !== 200) throw new Error(`${res.status}: ${clip(res.body)}`);
    if (!res.contentType.includes('text/html')) throw new Error(`200 but content-type is "${res.contentType}", not text/html`);
    if (!/<html[\s>]/i.test(res.body)) throw new Error('200 text/html but no <html> element in the page');
    return `200 ${res.contentType}, ${Buffer.byteLength(res.body)} bytes`;
  });
  await report.check('frontend proxies /routes/knowledge/health', async () => {
    const { detail } = await expectJson(`${baseUrl}/routes/knowledge/health`, { status: 'healthy', service: 'knowledge' });
    return detail;
  });
}
