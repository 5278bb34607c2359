import { Controller, Inject } from '@nestjs/common';
import { Ctx, EventPattern, Payload } from '@nestjs/microservices';
import { BUILD_EXPORT, type BuildExportWork } from '@scriptripper/contracts';
import type { RedisStreamsContext } from '@scriptripper/streams';
import { buildExportWorkOf } from './build-export-work';
import { BuildExportHandler, type BuildExportOutcome } from './build-export.handler';

/** `BuildExport` messages on `work:analysis`, in the `worker` consumer group; acked when the handler resolves. */
@Controller()
export class BuildExportController {
  constructor(@Inject(BuildExportHandler) private readonly handler: BuildExportHandler) {}

  @EventPattern(BUILD_EXPORT)
  buildExport(@Payload() data: unknown, @Ctx() context: RedisStreamsContext): Promise<BuildExportOutcome> {
    const work: BuildExportWork = buildExportWorkOf(data);
    return this.handler.handle(work, context.getEnvelope());
  }
}
