import {
  decideWebhook,
  evolveWebhook,
  initialWebhookState,
  type WebhookStreamEvent,
} from './webhook.aggregate';

const register = {
  type: 'RegisterWebhook' as const,
  webhookId: 'w-1',
  userId: 'u-1',
  sealedUrl: 'pd1:url',
  events: ['job.completed' as const],
  sealedSecret: 'pd1:secret',
  at: '2026-11-28T10:00:00.000Z',
};
const given = (...events: WebhookStreamEvent[]) => events.reduce(evolveWebhook, initialWebhookState);

describe('a webhook', () => {
  it('is registered once, with its sealed URL and secret', () => {
    const events = decideWebhook(initialWebhookState, register);
    expect(events).toEqual([
      {
        type: 'WebhookRegistered',
        data: {
          webhook_id: 'w-1',
          user_id: 'u-1',
          url: 'pd1:url',
          events: ['job.completed'],
          secret: 'pd1:secret',
          at: register.at,
        },
      },
    ]);
    expect(() => decideWebhook(given(...events), register)).toThrow(/exists/);
  });

  it('is deleted once; deleting it again or one never registered is NOT_FOUND', () => {
    const registered = decideWebhook(initialWebhookState, register);
    const remove = { type: 'DeleteWebhook' as const, webhookId: 'w-1', at: register.at };
    const deleted = decideWebhook(given(...registered), remove);
    expect(deleted).toEqual([
      { type: 'WebhookDeleted', data: { webhook_id: 'w-1', user_id: 'u-1', at: register.at } },
    ]);
    expect(() => decideWebhook(given(...registered, ...deleted), remove)).toThrow(/no webhook/);
    expect(() => decideWebhook(initialWebhookState, remove)).toThrow(/no webhook/);
  });
});
