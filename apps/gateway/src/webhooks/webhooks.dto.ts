import { ApiProperty } from '@nestjs/swagger';
import {
  ArrayMaxSize,
  ArrayMinSize,
  ArrayUnique,
  IsArray,
  IsIn,
  IsString,
  IsUUID,
  MaxLength,
} from 'class-validator';
import type {
  CreatedWebhook,
  CreateWebhookRequest,
  Page,
  WebhookAttemptView,
  WebhookDeliveryStatus,
  WebhookDeliveryView,
  WebhookEventType,
  WebhookView,
} from '@scriptripper/contracts';
import { WEBHOOK_DELIVERY_STATUSES, WEBHOOK_EVENT_TYPES } from '@scriptripper/contracts';

export class CreateWebhookDto implements CreateWebhookRequest {
  @ApiProperty({
    maxLength: 2048,
    example: 'https://hooks.example.com/scriptripper',
    description:
      'http or https, without credentials; hosts resolving to private, loopback or reserved addresses are refused',
  })
  @IsString()
  @MaxLength(2048)
  url!: string;

  @ApiProperty({ enum: WEBHOOK_EVENT_TYPES, isArray: true, example: ['job.completed', 'job.failed'] })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(WEBHOOK_EVENT_TYPES.length)
  @ArrayUnique()
  @IsIn(WEBHOOK_EVENT_TYPES, { each: true })
  events!: WebhookEventType[];
}

export class WebhookIdParams {
  @ApiProperty({ format: 'uuid' })
  @IsUUID('all', { message: 'id must be a UUID' })
  id!: string;
}

export class WebhookViewDto implements WebhookView {
  @ApiProperty({ format: 'uuid' })
  id!: string;

  @ApiProperty()
  url!: string;

  @ApiProperty({ enum: WEBHOOK_EVENT_TYPES, isArray: true })
  events!: WebhookEventType[];

  @ApiProperty({ format: 'date-time' })
  created_at!: string;
}

export class CreatedWebhookDto extends WebhookViewDto implements CreatedWebhook {
  @ApiProperty({
    description:
      'The signing secret (`whsec_...`), shown this once only. Each delivery carries ' +
      '`ScriptRipper-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256(secret, "<t>.<raw body>")>`',
    example: 'whsec_...',
  })
  secret!: string;
}

export class WebhookPageDto implements Page<WebhookViewDto> {
  @ApiProperty({ type: WebhookViewDto, isArray: true })
  items!: WebhookViewDto[];

  @ApiProperty({ type: String, nullable: true })
  next_cursor!: string | null;
}

export class WebhookAttemptDto implements WebhookAttemptView {
  @ApiProperty({ minimum: 1 })
  attempt!: number;

  @ApiProperty({ format: 'date-time' })
  attempted_at!: string;

  @ApiProperty({
    type: Number,
    nullable: true,
    description: "The receiver's HTTP status; null when none came",
  })
  status_code!: number | null;

  @ApiProperty()
  duration_ms!: number;

  @ApiProperty({ type: String, nullable: true })
  error!: string | null;

  @ApiProperty({ type: String, format: 'date-time', nullable: true })
  next_attempt_at!: string | null;
}

export class WebhookDeliveryDto implements WebhookDeliveryView {
  @ApiProperty({ format: 'uuid', description: 'Also sent as the ScriptRipper-Delivery-Id header' })
  id!: string;

  @ApiProperty({ format: 'uuid' })
  webhook_id!: string;

  @ApiProperty({ description: "The body's `id`" })
  event_id!: string;

  @ApiProperty({ enum: WEBHOOK_EVENT_TYPES })
  event_type!: WebhookEventType;

  @ApiProperty({ format: 'uuid' })
  job_id!: string;

  @ApiProperty({ enum: WEBHOOK_DELIVERY_STATUSES })
  status!: WebhookDeliveryStatus;

  @ApiProperty({ type: String, format: 'date-time', nullable: true })
  next_attempt_at!: string | null;

  @ApiProperty({ format: 'date-time' })
  created_at!: string;

  @ApiProperty({ type: WebhookAttemptDto, isArray: true })
  attempts!: WebhookAttemptDto[];
}

export class WebhookDeliveryPageDto implements Page<WebhookDeliveryDto> {
  @ApiProperty({ type: WebhookDeliveryDto, isArray: true })
  items!: WebhookDeliveryDto[];

  @ApiProperty({ type: String, nullable: true })
  next_cursor!: string | null;
}
