import type { KnowledgeUpdate } from '@business-brain/contract';
import { PartialType } from '@nestjs/swagger';

import { KnowledgeMetadataDto } from './knowledge-metadata.dto.js';

/**
 * Metadata changes only: the sources (and so the embeddings) stay as they are. A field left out
 * stays as it is; a null is validated like any other value, so `{"title": null}` is a 400.
 */
export class UpdateKnowledgeDto extends PartialType(KnowledgeMetadataDto, { skipNullProperties: false }) implements KnowledgeUpdate {}
