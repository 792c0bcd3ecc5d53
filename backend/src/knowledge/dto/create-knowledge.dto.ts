import { URL_MAX_LENGTH, type TextOrUrlSources } from '@business-brain/contract';
import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional, IsString, MaxLength, MinLength } from 'class-validator';

import { KnowledgeMetadataDto } from './knowledge-metadata.dto.js';

/**
 * Web page or pasted text sources. Files come as `file` parts of a multipart/form-data request
 * (with the metadata as text fields); JSON requests carry `url` and/or `text` instead.
 */
export class SourcesDto implements TextOrUrlSources {
  @ApiPropertyOptional({ description: 'http(s) URL of a web page or document to fetch', example: 'https://example.com/handbook' })
  @IsOptional()
  @IsString()
  @MaxLength(URL_MAX_LENGTH)
  url?: string;

  @ApiPropertyOptional({ description: 'Pasted text (Markdown welcome)', example: '# Returns policy\nCustomers may return…' })
  @IsOptional()
  @IsString()
  @MinLength(1)
  text?: string;
}

export class CreateKnowledgeDto extends KnowledgeMetadataDto implements TextOrUrlSources {
  @ApiPropertyOptional({ description: 'http(s) URL of a web page or document to fetch' })
  @IsOptional()
  @IsString()
  @MaxLength(URL_MAX_LENGTH)
  url?: string;

  @ApiPropertyOptional({ description: 'Pasted text (Markdown welcome)' })
  @IsOptional()
  @IsString()
  @MinLength(1)
  text?: string;
}
