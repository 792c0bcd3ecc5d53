import { Global, Module, type DynamicModule } from '@nestjs/common';
import { ConfigModule } from '@nestjs/config';

import type { AppConfig } from './app-config.js';
import { APP_CONFIG_KEY, AppConfigService } from './app-config.service.js';

/** Provides the already-validated configuration; it never reads `process.env` itself. */
@Global()
@Module({})
export class AppConfigModule {
  static forRoot(config: AppConfig): DynamicModule {
    return {
      module: AppConfigModule,
      imports: [
        ConfigModule.forRoot({
          ignoreEnvFile: true,
          skipProcessEnv: true,
          load: [() => ({ [APP_CONFIG_KEY]: config })],
        }),
      ],
      providers: [AppConfigService],
      exports: [AppConfigService],
    };
  }
}
