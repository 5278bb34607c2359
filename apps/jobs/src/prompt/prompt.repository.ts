import { randomUUID } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import type { EntityManager } from '@mikro-orm/postgresql';
import {
  ANSWER_PROMPT,
  JOB_EVENTS_STREAM,
  Streams,
  type AnswerPromptWork,
  type MessageEnvelope,
} from '@scriptripper/contracts';
import {
  ConcurrencyConflictError,
  EventStore,
  type AppendContext,
  type OutboxEntry,
} from '@scriptripper/event-store';
import { decide, evolve, type PromptCommand, type PromptState } from './prompt.aggregate';
import { PROMPT_STREAM_TYPE, promptStreamId, type PromptEvent } from './prompt.events';

const ATTEMPTS = 3;

/**
 * Loads a prompt from its stream (`prompt-<id>`), decides a command and appends the outcome in
 * one transaction: its events bound for `events:jobs` and, when it is requested, the
 * `AnswerPrompt` work message bound for `work:analysis`. A lost race is decided again.
 */
@Injectable()
export class PromptRepository {
  constructor(@Inject(EventStore) private readonly eventStore: EventStore) {}

  load(promptId: string): Promise<{ state: PromptState; version: number }> {
    return this.eventStore.aggregateStream<PromptState>(
      promptStreamId(promptId),
      (state, recorded) => evolve(state, { type: recorded.type, data: recorded.data } as PromptEvent),
      null,
    );
  }

  /** `project`: more writes in the append's transaction (a create's idempotency key). */
  async execute(
    promptId: string,
    context: AppendContext,
    command: PromptCommand,
    project?: (em: EntityManager) => Promise<void>,
  ): Promise<PromptEvent[]> {
    for (let attempt = 1; ; attempt++) {
      const { state, version } = await this.load(promptId);
      const events = decide(state, command);
      if (events.length === 0) return events;
      try {
        await this.eventStore.append({
          streamId: promptStreamId(promptId),
          streamType: PROMPT_STREAM_TYPE,
          expectedVersion: version === 0 ? 'no-stream' : version,
          events,
          context,
          outbox: [
            ...events.map((_event, index) => ({ destination: JOB_EVENTS_STREAM, event: index })),
            ...workMessages(events, context),
          ],
          ...(project ? { project: (em: EntityManager) => project(em) } : {}),
        });
        return events;
      } catch (error) {
        if (!(error instanceof ConcurrencyConflictError) || attempt >= ATTEMPTS) throw error;
      }
    }
  }
}

function workMessages(events: readonly PromptEvent[], context: AppendContext): OutboxEntry[] {
  return events.flatMap((event): OutboxEntry[] => {
    if (event.type !== 'PromptRequested') return [];
    const { prompt_id, job_id, user_id, user_role } = event.data;
    const envelope: MessageEnvelope<AnswerPromptWork> = {
      id: randomUUID(),
      type: ANSWER_PROMPT,
      correlationId: context.correlationId,
      causationId: context.causationId,
      actor: { id: user_id, role: user_role, scopes: [] },
      occurredAt: new Date().toISOString(),
      schemaVersion: 1,
      traceparent: context.traceparent,
      data: { prompt_id, job_id, user_id },
    };
    return [{ destination: Streams.analysisWork, envelope }];
  });
}
