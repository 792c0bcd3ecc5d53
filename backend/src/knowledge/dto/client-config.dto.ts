import type { ClientConfig } from '@business-brain/contract';
import { ApiProperty } from '@nestjs/swagger';

/** What a browser needs to know before it signs in. */
export class ClientConfigResponseDto implements ClientConfig {
  @ApiProperty({
    enum: ['development', 'clerk'],
    description: '`development`: authentication is off (no Clerk key configured), no sign-in needed; `clerk`: tenant routes want a Clerk session token of the tenant\'s organisation',
    example: 'clerk',
  })
  auth_mode!: 'development' | 'clerk';

  @ApiProperty({
    nullable: true,
    type: String,
    description: 'Clerk publishable key (public by design) the web app loads Clerk with: CLERK_PUBLISHABLE_KEY in clerk mode; null in development mode or when it is not configured',
    example: 'pk_test_Y2xlcmsuZXhhbXBsZS5jb20k',
  })
  clerk_publishable_key!: string | null;
}
