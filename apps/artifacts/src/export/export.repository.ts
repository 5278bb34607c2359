import { randomUUID } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import type { EntityManager } from '@mikro-orm/postgresql';
import {
  ARTIFACT_EVENTS_STREAM,
  BUILD_EXPORT,
  Streams,
  type BuildExportWork,
  type MessageEnvelope,
} from '@scriptripper/contracts';
import {
  ConcurrencyConflictError,
  EventStore,
  type AppendContext,
  type OutboxEntry,
} from '@scriptripper/event-store';
import { decide, evolve, initialExportState, type ExportCommand, type ExportState } from './export.aggregate';
import { EXPORT_STREAM_TYPE, exportStreamId, type ExportEvent } from './export.events';

const ATTEMPTS = 3;

/**
 * Loads an export from its stream, decides a command and appends the outcome with its events
 * bound for `events:artifacts` and, when requested, the `BuildExport` work message bound for
 * `work:analysis`, in one transaction.
 */
@Injectable()
export class ExportRepository {
  constructor(@Inject(EventStore) private readonly eventStore: EventStore) {}

  load(exportId: string): Promise<{ state: ExportState; version: number }> {
    return this.eventStore.aggregateStream<ExportState>(
      exportStreamId(exportId),
      (state, recorded) => evolve(state, { type: recorded.type, data: recorded.data } as ExportEvent),
      initialExportState,
    );
  }

  /** `project`: more writes in the append's transaction (a request's idempotency key). */
  async execute(
    exportId: string,
    context: AppendContext,
    command: ExportCommand,
    project?: (em: EntityManager) => Promise<void>,
  ): Promise<ExportState> {
    for (let attempt = 1; ; attempt++) {
      const { state, version } = await this.load(exportId);
      const events = decide(state, command);
      if (events.length === 0) return state;
      try {
        await this.eventStore.append({
          streamId: exportStreamId(exportId),
          streamType: EXPORT_STREAM_TYPE,
          expectedVersion: version === 0 ? 'no-stream' : version,
          events,
          context,
          outbox: [
            ...events.map((_event, index) => ({ destination: ARTIFACT_EVENTS_STREAM, event: index })),
            ...workMessages(events, context),
          ],
          ...(project ? { project: (em: EntityManager) => project(em) } : {}),
        });
        return events.reduce(evolve, state);
      } catch (error) {
        if (!(error instanceof ConcurrencyConflictError) || attempt >= ATTEMPTS) throw error;
      }
    }
  }
}

/** The export's owner is the work's actor; the worker acts as itself towards artifacts. */
function workMessages(events: readonly ExportEvent[], context: AppendContext): OutboxEntry[] {
  return events.flatMap((event) => {
    if (event.type !== 'ExportRequested') return [];
    const { data } = event;
    const envelope: MessageEnvelope<BuildExportWork> = {
      id: randomUUID(),
      type: BUILD_EXPORT,
      correlationId: context.correlationId,
      causationId: context.causationId,
      actor: { id: data.user_id, role: data.user_role, scopes: [] },
      occurredAt: new Date().toISOString(),
      schemaVersion: 1,
      traceparent: context.traceparent,
      data: {
        export_id: data.export_id,
        user_id: data.user_id,
        subject_type: data.subject_type,
        subject_id: data.subject_id,
        jobs: data.jobs,
      },
    };
    return [{ destination: Streams.analysisWork, envelope }];
  });
}
