import { Controller, Get, Inject, Res, type OnModuleDestroy } from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiExtraModels,
  ApiOperation,
  ApiResponse,
  ApiTags,
  getSchemaPath,
} from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { Scopes as Scope } from '@scriptripper/contracts';
import { Scopes } from '../access/access.decorators';
import { Caller } from '../access/request-actor';
import { GatewayConfig } from '../config';
import { ApiErrors } from '../http/common.dto';
import type { CallContext } from '../http/service-caller';
import { JobEventsFeed } from './job-events.feed';
import { JobStatusEventDto } from './jobs.dto';
import { UserJobsStream } from './user-jobs.stream';

/** One live stream of the status of all the signed-in user's jobs (the console's job list). */
@ApiTags('jobs')
@ApiBearerAuth()
@Controller('jobs')
export class UserJobEventsController implements OnModuleDestroy {
  constructor(
    private readonly feed: JobEventsFeed,
    @Inject(GatewayConfig) private readonly config: GatewayConfig,
  ) {}

  /** Before the HTTP server closes: ends every open stream, which would otherwise hold it open. */
  onModuleDestroy(): Promise<void> {
    return this.feed.close();
  }

  @Get('events')
  @Scopes(Scope.jobsRead)
  @ApiOperation({
    summary: "All of my jobs' status changes as Server-Sent Events",
    description:
      'Events named `status` with the data below, one per status change of any of my jobs, from the ' +
      'moment the stream opens: list jobs (GET /jobs) after the response headers arrive and no change is ' +
      'missed. `: heartbeat` comments keep the connection open. The stream stays open across jobs ' +
      "finishing; a client that reconnects lists again. Each event's `id` is its position in the " +
      'event log. Authenticate with the bearer header (read it with fetch streaming).',
  })
  @ApiExtraModels(JobStatusEventDto)
  @ApiResponse({
    status: 200,
    description: 'A text/event-stream of `status` events, each with this data',
    content: { 'text/event-stream': { schema: { $ref: getSchemaPath(JobStatusEventDto) } } },
  })
  @ApiErrors(401, 403)
  async events(@Caller() caller: CallContext, @Res() reply: FastifyReply): Promise<void> {
    const updates = await this.feed.watchUser(caller.actor.id);
    reply.hijack();
    const stream = new UserJobsStream(reply.raw, this.config.SSE_HEARTBEAT_MS);
    stream.start(reply.getHeaders() as Record<string, string | number | string[]>, updates);
  }
}
