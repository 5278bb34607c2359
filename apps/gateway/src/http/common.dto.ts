import { applyDecorators } from '@nestjs/common';
import { ApiProperty, ApiPropertyOptional, ApiResponse } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsInt, IsOptional, IsString, Max, MaxLength, Min } from 'class-validator';
import type { ErrorBody, PageRequest } from '@scriptripper/contracts';
import { ErrorCodes } from '@scriptripper/contracts';

export class ErrorBodyDto implements ErrorBody {
  @ApiProperty({ enum: Object.values(ErrorCodes), example: ErrorCodes.validationFailed })
  code!: string;

  @ApiProperty({ example: 'email must be an email' })
  message!: string;

  @ApiProperty({ description: 'Whether the same request may succeed later' })
  retryable!: boolean;
}

/** The one error shape of the API. */
export class ErrorResponseDto {
  @ApiProperty({ type: ErrorBodyDto })
  error!: ErrorBodyDto;
}

export class AcceptedDto {
  @ApiProperty({ enum: [true] })
  accepted!: true;
}

/** Cursor pagination: `limit` 1..100 (default 50), `cursor` from the previous page's `next_cursor`. */
export class PageQueryDto implements PageRequest {
  @ApiPropertyOptional({ description: 'Opaque, from the previous page' })
  @IsOptional()
  @IsString()
  @MaxLength(4_096)
  cursor?: string;

  @ApiPropertyOptional({ minimum: 1, maximum: 100, default: 50 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(100)
  limit?: number;
}

/** The page a service is asked for: the default limit made explicit. */
export function pageRequestOf(page: PageQueryDto): PageRequest {
  return { ...(page.cursor ? { cursor: page.cursor } : {}), limit: page.limit ?? 50 };
}

const ERROR_DESCRIPTIONS: Readonly<Record<number, string>> = {
  400: 'Invalid request (VALIDATION_FAILED)',
  401: 'No or invalid credentials (UNAUTHORIZED)',
  402: 'A daily LLM spend cap is reached (SPEND_CAP_REACHED); see Retry-After',
  403: 'Missing role or scope (FORBIDDEN)',
  404: 'Not found (NOT_FOUND)',
  409: 'Conflict (CONFLICT)',
  410: 'Gone: the transcript expired under the retention policy (GONE)',
  413: 'Body too large (PAYLOAD_TOO_LARGE)',
  429: 'Rate limited (RATE_LIMITED), or a quota is used up (QUOTA_EXCEEDED); see Retry-After',
  500: 'Internal error (INTERNAL)',
  503: 'A service did not answer in time (RPC_TIMEOUT, UNAVAILABLE); retryable',
};

/** Documents the error responses of a route, all in the common shape. */
export function ApiErrors(...statuses: number[]) {
  const all = [...new Set([400, 429, 500, 503, ...statuses])].sort();
  return applyDecorators(
    ...all.map((status) =>
      ApiResponse({
        status,
        description: ERROR_DESCRIPTIONS[status] ?? 'Error',
        type: ErrorResponseDto,
        ...(status === 429 || status === 402
          ? { headers: { 'Retry-After': { description: 'Seconds to wait', schema: { type: 'integer' } } } }
          : {}),
      }),
    ),
  );
}
