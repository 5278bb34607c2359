import { Controller, Inject } from '@nestjs/common';
import { Ctx, EventPattern, Payload } from '@nestjs/microservices';
import { invalid, RELABEL_SPEAKERS, type RelabelSpeakersWork } from '@scriptripper/contracts';
import type { RedisStreamsContext } from '@scriptripper/streams';
import { uuidFieldsOf } from '../peers/work-fields';
import { RelabelSpeakersHandler, type RelabelOutcome } from './relabel-speakers.handler';

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
  const ids = uuidFieldsOf('RelabelSpeakers', data, ['relabel_id', 'job_id', 'user_id']);
  const profile = (data as Partial<RelabelSpeakersWork>).profile;
  if (typeof profile?.key !== 'string' || !Number.isInteger(profile.version)) {
    throw invalid('RelabelSpeakers profile must be { key, version }');
  }
  return { ...ids, profile: { key: profile.key, version: profile.version } };
}
