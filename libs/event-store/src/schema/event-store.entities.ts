import { InboxEntry } from './inbox-entry.entity';
import { OutboxCheckpoint } from './outbox-checkpoint.entity';
import { OutboxMessage } from './outbox-message.entity';
import { StoredEvent } from './stored-event.entity';

/** Add these to each service's MikroORM config (`entities: [...eventStoreEntities, ...]`). */
export const eventStoreEntities = [StoredEvent, OutboxMessage, OutboxCheckpoint, InboxEntry];
