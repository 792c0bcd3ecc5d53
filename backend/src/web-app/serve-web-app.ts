import { existsSync } from 'node:fs';
import { join } from 'node:path';

import fastifyStatic from '@fastify/static';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import type { FastifyReply } from 'fastify';

/** The web app's own URLs (its router's routes); everything else stays the API's, with its JSON 404. */
const APP_ROUTES = ['/', '/:tenant/context-builder', '/:tenant/context-builder/*'];

/**
 * Serves the web app's production build from `dir` when it has been built: its hashed assets as
 * files, and index.html for the app's routes so a reload of `/acme/context-builder/search` works.
 * Returns whether it is served (the API runs alone when nothing is built).
 */
export async function serveWebApp(app: NestFastifyApplication, dir: string): Promise<boolean> {
  if (!existsSync(join(dir, 'index.html'))) return false;
  // wildcard: false serves exactly the files present at start (a build is immutable), and leaves
  // every other path to the API's routes and 404
  // file names carry a content hash (outputHashing: all), so they may be cached for good
  await app.register(fastifyStatic, { root: dir, wildcard: false, index: false, decorateReply: true, maxAge: '365d', immutable: true });
  const fastify = app.getHttpAdapter().getInstance();
  const sendIndex = (_request: unknown, reply: FastifyReply) => reply.header('cache-control', 'no-cache').sendFile('index.html', { cacheControl: false });
  for (const url of APP_ROUTES) fastify.get(url, sendIndex);
  return true;
}
