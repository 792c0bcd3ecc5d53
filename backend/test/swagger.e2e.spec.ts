import { HTTP_ENGINE } from './support/engines.js';
import { startTestApp, type TestApp } from './support/test-app.js';

interface OpenApi {
  paths: Record<string, Record<string, { responses: Record<string, { content?: Record<string, { schema: { $ref?: string } }> }>; security?: unknown[]; parameters?: { name: string; in: string }[] }>>;
  components: { schemas: Record<string, unknown>; securitySchemes: Record<string, unknown> };
}

describe('Swagger / OpenAPI', () => {
  let t: TestApp;
  let doc: OpenApi;
  beforeAll(async () => {
    t = await startTestApp(HTTP_ENGINE);
    doc = (await (await t.get('/docs-json')).json()) as OpenApi;
  });
  afterAll(() => t?.close());

  it('names no server unless PUBLIC_BASE_URL says where clients reach the service', async () => {
    expect((doc as OpenApi & { servers?: unknown[] }).servers ?? []).toEqual([]);
    const other = await startTestApp(HTTP_ENGINE, { PUBLIC_BASE_URL: 'https://brain.example.com/' });
    try {
      const served = (await (await other.get('/docs-json')).json()) as { servers?: { url: string }[] };
      expect(served.servers).toEqual([{ url: 'https://brain.example.com', description: 'This deployment' }]);
    } finally {
      await other.close();
    }
  });

  it('serves the UI at /docs', async () => {
    const res = await t.get('/docs');
    expect(res.status).toBe(200);
    expect(await res.text()).toMatch(/swagger-ui/i);
  });

  it('documents every endpoint with its response schema and the shared error schema', () => {
    const expected = [
      '/health',
      '/health/ready',
      '/routes/knowledge/health',
      '/routes/knowledge/vocabulary',
      '/routes/knowledge/client-config',
      '/routes/knowledge/{tenant}',
      '/routes/knowledge/{tenant}/index',
      '/routes/knowledge/{tenant}/search',
      '/routes/knowledge/{tenant}/context',
      '/routes/knowledge/{tenant}/answer',
      '/routes/knowledge/{tenant}/usage',
      '/routes/knowledge/{tenant}/{id}',
      '/routes/knowledge/{tenant}/{id}/events',
      '/routes/knowledge/{tenant}/{id}/chunks',
      '/routes/knowledge/{tenant}/{id}/documents',
      '/routes/knowledge/{tenant}/{id}/documents/{documentId}',
      '/routes/knowledge/{tenant}/{id}/retry',
    ];
    expect(Object.keys(doc.paths).sort()).toEqual([...expected].sort());
    for (const path of expected) {
      for (const [method, op] of Object.entries(doc.paths[path] ?? {})) {
        const ok = op.responses['200'] ?? op.responses['202'] ?? op.responses['204'];
        expect({ path, method, documented: ok !== undefined }).toEqual({ path, method, documented: true });
        const errorSchemas = Object.values(op.responses['500']?.content ?? {}).map((c) => c.schema.$ref);
        expect({ path, method, errorSchemas }).toEqual({ path, method, errorSchemas: expect.arrayContaining(['#/components/schemas/ErrorResponseDto']) });
      }
    }
    const create = doc.paths['/routes/knowledge/{tenant}']?.['post'] as unknown as { requestBody: { content: Record<string, unknown> } };
    expect(Object.keys(create.requestBody.content).sort()).toEqual(['application/json', 'multipart/form-data']);
    expect(doc.components.schemas).toHaveProperty('ErrorResponseDto');
  });

  it('documents auth on tenant routes', () => {
    const op = doc.paths['/routes/knowledge/{tenant}/index']?.['get'];
    expect(op?.security).toEqual(expect.arrayContaining([{ 'clerk-session': [] }, { 'clerk-session-cookie': [] }]));
    expect(Object.keys(op?.responses ?? {})).toEqual(expect.arrayContaining(['200', '400', '401', '403', '500']));
    expect(op?.parameters?.map((p) => `${p.in}:${p.name}`)).toEqual(expect.arrayContaining(['path:tenant', 'query:limit', 'query:offset']));
    expect(Object.keys(doc.components.securitySchemes)).toEqual(expect.arrayContaining(['clerk-session', 'clerk-session-cookie']));
  });

  it('documents the search request and response schemas with an example', () => {
    const op = doc.paths['/routes/knowledge/{tenant}/search']?.['post'] as unknown as {
      requestBody: { content: Record<string, { schema: { $ref: string }; examples?: Record<string, { value: unknown }> }> };
      responses: Record<string, { content?: Record<string, { schema: { $ref?: string } }> }>;
    };
    const body = op.requestBody.content['application/json'];
    expect(body?.schema.$ref).toBe('#/components/schemas/SearchRequestDto');
    expect(Object.values(body?.examples ?? {})[0]?.value).toEqual(expect.objectContaining({ query: expect.any(String), mode: 'hybrid' }));
    expect(op.responses['200']?.content?.['application/json']?.schema.$ref).toBe('#/components/schemas/SearchResponseDto');
    expect(Object.keys(op.responses)).toEqual(expect.arrayContaining(['400', '401', '403', '409', '503']));
    const schemas = doc.components.schemas as Record<string, { properties: Record<string, unknown>; required?: string[] }>;
    expect(Object.keys(schemas['SearchRequestDto']?.properties ?? {})).toEqual(expect.arrayContaining(['query', 'mode', 'metric', 'top_k', 'min_score', 'filters']));
    expect(schemas['SearchRequestDto']?.required).toEqual(['query']);
    expect(Object.keys(schemas['SearchFiltersDto']?.properties ?? {})).toEqual(
      expect.arrayContaining(['type', 'intent', 'tags', 'tags_match', 'knowledge_base_ids', 'created_after', 'created_before']),
    );
    expect(Object.keys(schemas['SearchResultDto']?.properties ?? {})).toEqual(
      expect.arrayContaining(['score', 'semantic_rank', 'keyword_rank', 'chunk_id', 'snippet', 'page_start', 'page_end', 'filename', 'source_url']),
    );
  });

  it('documents the context request and response schemas with an example', () => {
    const op = doc.paths['/routes/knowledge/{tenant}/context']?.['post'] as unknown as {
      requestBody: { content: Record<string, { schema: { $ref: string }; examples?: Record<string, { value: unknown }> }> };
      responses: Record<string, { content?: Record<string, { schema: { $ref?: string } }> }>;
    };
    const body = op.requestBody.content['application/json'];
    expect(body?.schema.$ref).toBe('#/components/schemas/ContextRequestDto');
    expect(Object.values(body?.examples ?? {})[0]?.value).toEqual(expect.objectContaining({ query: expect.any(String), max_tokens: expect.any(Number) }));
    expect(op.responses['200']?.content?.['application/json']?.schema.$ref).toBe('#/components/schemas/ContextResponseDto');
    expect(Object.keys(op.responses)).toEqual(expect.arrayContaining(['400', '401', '403', '409', '503']));
    const schemas = doc.components.schemas as Record<string, { properties: Record<string, unknown>; required?: string[] }>;
    expect(Object.keys(schemas['ContextRequestDto']?.properties ?? {})).toEqual(expect.arrayContaining(['query', 'max_tokens', 'mode', 'metric', 'filters']));
    expect(schemas['ContextRequestDto']?.required).toEqual(['query']);
    expect(Object.keys(schemas['ContextResponseDto']?.properties ?? {})).toEqual(expect.arrayContaining(['context', 'sources', 'tokens', 'max_tokens']));
    expect(Object.keys(schemas['ContextSourceDto']?.properties ?? {})).toEqual(
      expect.arrayContaining(['number', 'knowledge_base_id', 'title', 'document_id', 'page_start', 'page_end', 'char_start', 'char_end', 'score', 'chunk_ids']),
    );
  });

  it('documents the answer endpoint: its request, the event stream and the JSON form', () => {
    const op = doc.paths['/routes/knowledge/{tenant}/answer']?.['post'] as unknown as {
      description: string;
      requestBody: { content: Record<string, { schema: { $ref: string } }> };
      responses: Record<string, { content?: Record<string, { schema: { $ref?: string; type?: string } }> }>;
    };
    expect(op.requestBody.content['application/json']?.schema.$ref).toBe('#/components/schemas/AnswerRequestDto');
    expect(Object.keys(op.responses['200']?.content ?? {}).sort()).toEqual(['application/json', 'text/event-stream']);
    expect(op.responses['200']?.content?.['application/json']?.schema.$ref).toBe('#/components/schemas/AnswerResponseDto');
    for (const event of ['context', 'delta', 'citations', 'done', 'error']) expect(op.description).toContain(`\`${event}\``);
    const schemas = doc.components.schemas as Record<string, { properties: Record<string, unknown>; required?: string[] }>;
    expect(schemas['AnswerRequestDto']?.required).toEqual(['question']);
    expect(Object.keys(schemas['AnswerResponseDto']?.properties ?? {})).toEqual(expect.arrayContaining(['answer', 'citations', 'sources', 'model', 'extractive', 'usage']));
    expect(Object.keys(schemas['UsageDayDto']?.properties ?? {})).toEqual(expect.arrayContaining(['day', 'model', 'requests', 'prompt_tokens', 'completion_tokens']));
  });
});
