// NestJS transport over Redis Streams (server + client proxy).
export {};
export const X = 1;
