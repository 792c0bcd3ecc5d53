import type { INestApplication } from '@nestjs/common';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';

/** Swagger UI at /docs, the OpenAPI document at /docs-json; `publicBaseUrl` (PUBLIC_BASE_URL) is its server when set. */
export function setupSwagger(app: INestApplication, publicBaseUrl?: string): void {
  const builder = new DocumentBuilder()
    .setTitle('Business Brain API')
    .setDescription(
      "Multi-tenant knowledge service. Tenant routes (`/routes/knowledge/{tenant}/...`) need a Clerk session token whose active organisation's slug is `{tenant}`: send it as `Authorization: Bearer <token>` or the `__session` cookie. Every error answers `{ statusCode, error, message, request_id }`; the request id is also the `X-Request-Id` response header.",
    )
    .setVersion('0.1.0')
    .addBearerAuth({ type: 'http', scheme: 'bearer', bearerFormat: 'JWT', description: 'Clerk session token' }, 'clerk-session')
    .addCookieAuth('__session', { type: 'apiKey', in: 'cookie', name: '__session', description: 'Clerk session cookie' }, 'clerk-session-cookie');
  if (publicBaseUrl) builder.addServer(publicBaseUrl.replace(/\/+$/, ''), 'This deployment');
  const config = builder.build();
  const document = SwaggerModule.createDocument(app, config);
  SwaggerModule.setup('docs', app, document, { jsonDocumentUrl: 'docs-json', yamlDocumentUrl: 'docs-yaml' });
}
