// Message envelope, stream names, event routing, error codes: everything services share.
// Imports nothing of ours (enforced by lint).
export * from './actor';
export * from './credential-markers';
export * from './envelope';
export * from './domain-error';
export * from './error-codes';
export * from './identity';
export * from './jobs';
export * from './payload-readers';
export * from './streams';
export * from './profiles';
export * from './built-in-profiles';
export * from './batches';
export * from './exports';
export * from './limits';
export * from './webhooks';
export * from './prompts';
export * from './operations';
export * from './lifecycle';
