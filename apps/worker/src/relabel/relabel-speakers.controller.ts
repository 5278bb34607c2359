import { Controller, Inject } from '@nestjs/common';
import { Ctx, EventPattern, Payload } from '@nestjs/microservices';
import { invalid, RELABEL_SPEAKERS, type RelabelSpeakersWork } from '@scriptripper/contracts';
import type { RedisStreamsContext } from '@scriptripper/streams';
import { RelabelSpeakersHandler, type RelabelOutcome } from './relabel-speakers.handler';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** `RelabelSpeakers` messages on `work:analysis`, in the `worker` group; acked when the handler resolves. */
@Controller()
export class RelabelSpeakersController {
  constructor(@Inject(RelabelSpeakersHandler) private readonly handler: RelabelSpeakersHandler) {}

  @EventPattern(RELABEL_SPEAKERS)
  relabel(@Payload() data: unknown, @Ctx() context: RedisStreamsContext): Promise<RelabelOutcome> {
    return this.handler.handle(relabelWorkOf(data), context.getEnvelope());
  }
}

export function relabelWorkOf(data: unknown): RelabelSpeakersWork {
  const work = data as Partial<RelabelSpeakersWork> | null;
  for (const field of ['relabel_id', 'job_id', 'user_id'] as const) {
    const value = work?.[field];
    if (typeof value !== 'string' || !UUID.test(value))
      throw invalid(`RelabelSpeakers ${field} must be a UUID`);
  }
  const profile = work?.profile;
  if (typeof profile?.key !== 'string' || !Number.isInteger(profile.version)) {
    throw invalid('RelabelSpeakers profile must be { key, version }');
  }
  return {
    relabel_id: work!.relabel_id!,
    job_id: work!.job_id!,
    user_id: work!.user_id!,
    profile: { key: profile.key, version: profile.version },
  };
}
