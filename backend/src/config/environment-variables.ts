import { Transform } from 'class-transformer';
import {
  IsBoolean,
  IsIn,
  IsInt,
  IsOptional,
  IsString,
  IsUrl,
  Matches,
  Max,
  Min,
  MinLength,
} from 'class-validator';

const toInt = ({ value }: { value: unknown }): unknown =>
  typeof value === 'string' && /^-?\d+$/.test(value.trim()) ? Number(value.trim()) : value;

const toBool = ({ value }: { value: unknown }): unknown => {
  if (typeof value !== 'string') return value;
  const v = value.trim().toLowerCase();
  if (['1', 'true', 'yes', 'on'].includes(v)) return true;
  if (['0', 'false', 'no', 'off'].includes(v)) return false;
  return value;
};

const emptyToUndefined = ({ value }: { value: unknown }): unknown =>
  typeof value === 'string' && value.trim() === '' ? undefined : value;

/**
 * Every environment variable the service reads, with its rules. `.env.example` documents each one;
 * `load-app-config.ts` turns a validated instance into the typed `AppConfig`.
 */
export class EnvironmentVariables {
  @IsIn(['development', 'test', 'production'])
  NODE_ENV = 'development';

  @Transform(toInt)
  @IsInt()
  @Min(0)
  @Max(65535)
  PORT = 8000;

  @IsString()
  @MinLength(1)
  HOST = '0.0.0.0';

  @IsIn(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'])
  LOG_LEVEL = 'info';

  @Transform(emptyToUndefined)
  @IsOptional()
  @Matches(/^postgres(ql)?:\/\/\S+$/, { message: 'DATABASE_URL must be a postgres:// or postgresql:// URL' })
  DATABASE_URL?: string;

  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(1000)
  DATABASE_POOL_MAX = 10;

  @Transform(toInt)
  @IsInt()
  @Min(100)
  DATABASE_CONNECTION_TIMEOUT_MS = 5000;

  @Transform(toInt)
  @IsInt()
  @Min(1000)
  DATABASE_IDLE_TIMEOUT_MS = 30000;

  @IsString()
  @MinLength(1)
  DATA_DIR = './data';

  @Transform(toBool)
  @IsBoolean()
  RUN_MIGRATIONS = true;

  @IsString()
  @MinLength(1)
  MIGRATIONS_DIR = 'prisma/migrations';

  @Transform(emptyToUndefined)
  @IsOptional()
  @Matches(/^sk_(test|live)_\S+$/, { message: 'CLERK_SECRET_KEY must look like sk_test_... or sk_live_...' })
  CLERK_SECRET_KEY?: string;

  @Transform(emptyToUndefined)
  @IsOptional()
  @Matches(/-----BEGIN PUBLIC KEY-----[\s\S]+-----END PUBLIC KEY-----/, {
    message: 'CLERK_JWT_KEY must be a PEM public key (-----BEGIN PUBLIC KEY----- ...)',
  })
  CLERK_JWT_KEY?: string;

  @Transform(emptyToUndefined)
  @IsOptional()
  @IsString()
  CLERK_AUTHORIZED_PARTIES?: string;

  @Transform(emptyToUndefined)
  @IsOptional()
  @IsString()
  CORS_ORIGINS?: string;

  @Transform(toInt)
  @IsInt()
  @Min(100)
  SHUTDOWN_TIMEOUT_MS = 10000;

  @Transform(emptyToUndefined)
  @IsOptional()
  @IsUrl({ require_tld: false, protocols: ['http', 'https'] })
  PUBLIC_BASE_URL?: string;
}
