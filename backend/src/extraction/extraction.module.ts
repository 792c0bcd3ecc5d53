import { Module, type DynamicModule, type FactoryProvider, type ModuleMetadata } from '@nestjs/common';

import { DEFAULT_EXTRACTION_LIMITS, EXTRACTION_LIMITS, type ExtractionLimits } from './extraction-limits.js';
import { ExtractionService } from './extraction.service.js';

/**
 * Text extraction for ingestion. Imported as is, it runs with `DEFAULT_EXTRACTION_LIMITS`;
 * `forRoot` / `forRootAsync` take the application's configured limits.
 */
@Module({
  providers: [ExtractionService, { provide: EXTRACTION_LIMITS, useValue: DEFAULT_EXTRACTION_LIMITS }],
  exports: [ExtractionService],
})
export class ExtractionModule {
  static forRoot(limits: ExtractionLimits): DynamicModule {
    return {
      module: ExtractionModule,
      providers: [{ provide: EXTRACTION_LIMITS, useValue: limits }],
      exports: [ExtractionService],
    };
  }

  /** Limits from another provider, e.g. `{ inject: [AppConfigService], useFactory: (c) => c.get('extraction') }`. */
  static forRootAsync(
    options: Pick<FactoryProvider<ExtractionLimits>, 'useFactory' | 'inject'> & Pick<ModuleMetadata, 'imports'>,
  ): DynamicModule {
    return {
      module: ExtractionModule,
      imports: options.imports ?? [],
      providers: [{ provide: EXTRACTION_LIMITS, inject: options.inject ?? [], useFactory: options.useFactory }],
      exports: [ExtractionService],
    };
  }
}
