import type { KnowledgeUpdate } from '@business-brain/contract';
import { PartialType } from '@nestjs/swagger';

import { KnowledgeMetadataDto } from './knowledge-metadata.dto.js';

/** Metadata changes only: the sources (and so the embeddings) stay as they are. */
export class UpdateKnowledgeDto extends PartialType(KnowledgeMetadataDto) implements KnowledgeUpdate {}
