import { Injectable, Logger } from '@nestjs/common';
import { verifyToken } from '@clerk/backend';

import { UnauthenticatedError } from '../common/errors/app-error.js';
import { AppConfigService } from '../config/app-config.service.js';
import type { AuthIdentity } from './auth-identity.js';
import { identityFromClaims } from './org-claims.js';

/**
 * Verifies Clerk session tokens with Clerk's backend SDK: offline against CLERK_JWT_KEY when it is
 * set, otherwise with the JWKS fetched (and cached) through CLERK_SECRET_KEY.
 */
@Injectable()
export class ClerkTokenVerifier {
  private readonly logger = new Logger('ClerkAuth');

  constructor(private readonly config: AppConfigService) {}

  async verify(token: string): Promise<AuthIdentity> {
    const clerk = this.config.get('clerk');
    try {
      const claims = await verifyToken(token, {
        ...(clerk.jwtKey ? { jwtKey: clerk.jwtKey } : { secretKey: clerk.secretKey }),
        ...(clerk.authorizedParties.length > 0 ? { authorizedParties: clerk.authorizedParties } : {}),
      });
      return identityFromClaims(claims);
    } catch (error) {
      const reason = (error as { reason?: string }).reason ?? 'unknown';
      // the reason is safe to log; the token itself never is
      this.logger.warn(`session token rejected: ${reason}`);
      throw new UnauthenticatedError(reason === 'token-expired' ? 'Session token has expired' : 'Invalid session token');
    }
  }
}
