import { LogController, type FastifyReply, type FastifyRequest } from 'fastify';

import { routeTemplate, tenantInPath } from '../http/route-template.js';

const requestFields = (request: FastifyRequest): { route: string; tenant?: string } => {
  const tenant = tenantInPath(request);
  return tenant === undefined ? { route: routeTemplate(request) } : { route: routeTemplate(request), tenant };
};

/**
 * Fastify's own request lines ("incoming request", "request completed", "request errored") with
 * the route's pattern and the path's tenant beside the request id: the first is written before
 * any hook runs, the last after the request's context has ended, so the logger's mixin cannot
 * add them there.
 */
export class RequestLogController extends LogController {
  constructor() {
    super({ requestIdLogLabel: 'request_id' });
  }

  override incomingRequest(request: FastifyRequest): void {
    if (this.isLogDisabled(request)) return;
    request.log.info({ req: request, ...requestFields(request) }, 'incoming request');
  }

  override requestCompleted(error: Error | null | undefined, request: FastifyRequest, reply: FastifyReply): void {
    if (this.isLogDisabled(request)) return;
    const fields = { res: reply, responseTime: reply.elapsedTime, ...requestFields(request) };
    if (error) reply.log.error({ ...fields, err: error }, 'request errored');
    else reply.log.info(fields, 'request completed');
  }
}
