import type { EntityManager } from '@mikro-orm/postgresql';
import { eventStoreTables, type EventStoreTables } from '../schema/event-store-tables';

export type InboxOutcome<T> =
  { readonly duplicate: false; readonly result: T } | { readonly duplicate: true };

/**
 * Exactly-once effects over an at-least-once bus: a consumer's effects and its record of the
 * message commit in one transaction. The record is written first, so a concurrent redelivery
 * waits on it and then finds the message handled (or, if the first attempt rolled back, handles it).
 */
export class Inbox {
  private readonly tables: EventStoreTables;

  constructor(private readonly em: EntityManager) {
    this.tables = eventStoreTables(em);
  }

  handleOnce<T>(
    consumer: string,
    messageId: string,
    effects: (em: EntityManager) => Promise<T>,
  ): Promise<InboxOutcome<T>> {
    return this.em.transactional(async (em): Promise<InboxOutcome<T>> => {
      const claimed = await em.execute<{ message_id: string }[]>(
        `insert into ${this.tables.inbox} (consumer, message_id) values (?, ?)
         on conflict do nothing returning message_id`,
        [consumer, messageId],
      );
      if (claimed.length === 0) return { duplicate: true };
      return { duplicate: false, result: await effects(em) };
    });
  }
}
