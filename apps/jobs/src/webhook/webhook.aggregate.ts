import { conflict, notFound, type WebhookEventType } from '@scriptripper/contracts';
import type { WebhookDeletedData, WebhookRegisteredData } from './webhook.events';

/** A webhook as its stream tells it. Pure. */
export type WebhookState =
  { readonly status: 'none' } | { readonly status: 'active' | 'deleted'; readonly userId: string };
export const initialWebhookState: WebhookState = { status: 'none' };

export type WebhookStreamEvent =
  | { readonly type: 'WebhookRegistered'; readonly data: WebhookRegisteredData }
  | { readonly type: 'WebhookDeleted'; readonly data: WebhookDeletedData };

export type WebhookCommand =
  | {
      readonly type: 'RegisterWebhook';
      readonly webhookId: string;
      readonly userId: string;
      readonly sealedUrl: string;
      readonly events: readonly WebhookEventType[];
      readonly sealedSecret: string;
      readonly at: string;
    }
  | { readonly type: 'DeleteWebhook'; readonly webhookId: string; readonly at: string };

export function evolveWebhook(state: WebhookState, event: WebhookStreamEvent): WebhookState {
  switch (event.type) {
    case 'WebhookRegistered':
      return { status: 'active', userId: event.data.user_id };
    case 'WebhookDeleted':
      return state.status === 'none' ? state : { status: 'deleted', userId: state.userId };
  }
}

export function decideWebhook(state: WebhookState, command: WebhookCommand): WebhookStreamEvent[] {
  switch (command.type) {
    case 'RegisterWebhook':
      if (state.status !== 'none') throw conflict(`webhook ${command.webhookId} exists already`);
      return [
        {
          type: 'WebhookRegistered',
          data: {
            webhook_id: command.webhookId,
            user_id: command.userId,
            url: command.sealedUrl,
            events: command.events,
            secret: command.sealedSecret,
            at: command.at,
          },
        },
      ];
    case 'DeleteWebhook':
      if (state.status !== 'active') throw notFound(`no webhook ${command.webhookId}`);
      return [
        {
          type: 'WebhookDeleted',
          data: { webhook_id: command.webhookId, user_id: state.userId, at: command.at },
        },
      ];
  }
}
