import { KNOWLEDGE_INTENTS, KNOWLEDGE_TYPES, MAX_TAGS, TAG_MAX_LENGTH, TITLE_MAX_LENGTH } from '@business-brain/contract';
import { Controller, Get } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';

import { ApiErrorResponses } from '../common/http/api-error-responses.decorator.js';
import { ServiceHealthResponseDto } from '../health/dto/health.dto.js';
import { AppConfigService } from '../config/app-config.service.js';
import { ACCEPTED_TYPES } from '../extraction/extraction-format.js';
import { ClientConfigResponseDto } from './dto/client-config.dto.js';
import { VocabularyResponseDto } from './dto/knowledge-entry.dto.js';

/** Open routes of the knowledge service: its health, the vocabularies the UI offers and how the UI signs in. */
@ApiTags('knowledge')
@Controller('routes/knowledge')
export class KnowledgePublicController {
  constructor(private readonly config: AppConfigService) {}

  @Get('health')
  @ApiOperation({ summary: 'The knowledge service answers' })
  @ApiOkResponse({ type: ServiceHealthResponseDto })
  @ApiErrorResponses()
  health(): ServiceHealthResponseDto {
    return { status: 'healthy', service: 'knowledge' };
  }

  @Get('vocabulary')
  @ApiOperation({ summary: 'Entry types, intents, limits and accepted file types' })
  @ApiOkResponse({ type: VocabularyResponseDto })
  @ApiErrorResponses()
  vocabulary(): VocabularyResponseDto {
    const uploads = this.config.get('uploads');
    return {
      types: [...KNOWLEDGE_TYPES],
      intents: [...KNOWLEDGE_INTENTS],
      limits: {
        title_max_length: TITLE_MAX_LENGTH,
        max_tags: MAX_TAGS,
        tag_max_length: TAG_MAX_LENGTH,
        max_file_bytes: uploads.maxFileBytes,
        max_files: uploads.maxFiles,
      },
      accepted_file_types: ACCEPTED_TYPES.map((t) => t.name),
    };
  }

  @Get('client-config')
  @ApiOperation({ summary: 'How the web app signs in: the auth mode and the Clerk publishable key' })
  @ApiOkResponse({ type: ClientConfigResponseDto })
  @ApiErrorResponses()
  clientConfig(): ClientConfigResponseDto {
    const authMode = this.config.get('authMode');
    return {
      auth_mode: authMode,
      clerk_publishable_key: authMode === 'clerk' ? (this.config.get('clerk').publishableKey ?? null) : null,
    };
  }
}
