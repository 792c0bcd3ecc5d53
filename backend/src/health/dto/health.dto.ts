import { ApiProperty } from '@nestjs/swagger';

export class HealthResponseDto {
  @ApiProperty({ example: 'healthy' })
  status!: 'healthy';
}

export class ServiceHealthResponseDto {
  @ApiProperty({ example: 'healthy' })
  status!: 'healthy';

  @ApiProperty({ example: 'knowledge' })
  service!: string;
}

export class ReadinessCheckDto {
  @ApiProperty({ enum: ['up', 'down'] })
  status!: 'up' | 'down';

  @ApiProperty({ required: false, example: '0.8.0', description: 'Extension version, for the vector check' })
  version?: string;
}

export class ReadinessChecksDto {
  @ApiProperty({ type: ReadinessCheckDto })
  database!: ReadinessCheckDto;

  @ApiProperty({ type: ReadinessCheckDto })
  vector!: ReadinessCheckDto;
}

export class ReadinessResponseDto {
  @ApiProperty({ example: 'ready' })
  status!: 'ready';

  @ApiProperty({ enum: ['postgres', 'pglite'] })
  engine!: 'postgres' | 'pglite';

  @ApiProperty({ type: ReadinessChecksDto })
  checks!: ReadinessChecksDto;
}
