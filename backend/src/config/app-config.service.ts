import { Injectable } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';

import type { AppConfig } from './app-config.js';

export const APP_CONFIG_KEY = 'app';

/** Typed access to the configuration validated at start-up. */
@Injectable()
export class AppConfigService {
  readonly values: AppConfig;

  constructor(config: ConfigService) {
    const values = config.get<AppConfig>(APP_CONFIG_KEY);
    if (!values) throw new Error('AppConfigService used before the configuration was loaded');
    this.values = values;
  }

  get<K extends keyof AppConfig>(key: K): AppConfig[K] {
    return this.values[key];
  }
}
