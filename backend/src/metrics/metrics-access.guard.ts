import { Injectable, NotFoundException, type CanActivate, type ExecutionContext } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';

import { UnauthenticatedError } from '../common/errors/app-error.js';
import { AppConfigService } from '../config/app-config.service.js';
import { MetricsToken } from './metrics-token.js';

/**
 * GET /metrics is for the scraper alone. Without METRICS_TOKEN it does not exist: the 404 is the
 * one any unknown path gets. Loopback is not trusted instead, because a reverse proxy or a sidecar
 * on the same host makes every outside request come from 127.0.0.1. With a token, a request
 * without `Authorization: Bearer <token>`, or with another token, is 401.
 */
@Injectable()
export class MetricsAccessGuard implements CanActivate {
  private readonly token: MetricsToken | undefined;

  constructor(config: AppConfigService) {
    const token = config.get('metrics').token;
    this.token = token === undefined ? undefined : new MetricsToken(token);
  }

  canActivate(context: ExecutionContext): boolean {
    const request = context.switchToHttp().getRequest<FastifyRequest>();
    if (!this.token) throw new NotFoundException(`Cannot ${request.method} ${request.url}`);
    if (!this.token.accepts(request.headers.authorization)) throw new UnauthenticatedError('A valid metrics token is required (Authorization: Bearer <METRICS_TOKEN>)');
    return true;
  }
}
