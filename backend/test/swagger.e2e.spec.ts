import { startTestApp, type TestApp } from './support/test-app.js';

interface OpenApi {
  paths: Record<string, Record<string, { responses: Record<string, { content?: Record<string, { schema: { $ref?: string } }> }>; security?: unknown[]; parameters?: { name: string; in: string }[] }>>;
  components: { schemas: Record<string, unknown>; securitySchemes: Record<string, unknown> };
}

describe('Swagger / OpenAPI', () => {
  let t: TestApp;
  let doc: OpenApi;
  beforeAll(async () => {
    t = await startTestApp('pglite');
    doc = (await (await t.get('/docs-json')).json()) as OpenApi;
  });
  afterAll(() => t?.close());

  it('serves the UI at /docs', async () => {
    const res = await t.get('/docs');
    expect(res.status).toBe(200);
    expect(await res.text()).toMatch(/swagger-ui/i);
  });

  it('documents every endpoint with its response schema and the shared error schema', () => {
    const expected = ['/health', '/health/ready', '/routes/knowledge/health', '/routes/knowledge/{tenant}/index'];
    expect(Object.keys(doc.paths).sort()).toEqual(expected.sort());
    for (const path of expected) {
      const op = doc.paths[path]?.['get'];
      expect(op?.responses['200']?.content?.['application/json']?.schema.$ref).toMatch(/^#\/components\/schemas\//);
      expect(op?.responses['500']?.content?.['application/json']?.schema.$ref).toBe('#/components/schemas/ErrorResponseDto');
    }
    expect(doc.components.schemas).toHaveProperty('ErrorResponseDto');
  });

  it('documents auth on tenant routes', () => {
    const op = doc.paths['/routes/knowledge/{tenant}/index']?.['get'];
    expect(op?.security).toEqual(expect.arrayContaining([{ 'clerk-session': [] }, { 'clerk-session-cookie': [] }]));
    expect(Object.keys(op?.responses ?? {})).toEqual(expect.arrayContaining(['200', '400', '401', '403', '500']));
    expect(op?.parameters?.map((p) => `${p.in}:${p.name}`)).toEqual(expect.arrayContaining(['path:tenant', 'query:limit', 'query:offset']));
    expect(Object.keys(doc.components.securitySchemes)).toEqual(expect.arrayContaining(['clerk-session', 'clerk-session-cookie']));
  });
});
