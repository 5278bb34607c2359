// Append-only event table, projections, outbox relay, inbox, hash chains (MikroORM/Postgres).
export {};
