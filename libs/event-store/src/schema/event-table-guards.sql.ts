/**
 * Triggers that make `<schema>.events` append-only in Postgres itself: a row trigger refuses
 * UPDATE and DELETE, a statement trigger refuses TRUNCATE. Triggers are not part of entity
 * metadata, so each service's migration includes this SQL after creating its tables.
 * Only a superuser who disables the triggers can change history; `verifyHashChains` detects that.
 */
export function eventTableGuardsSql(schema: string): string[] {
  const s = quoteIdentifier(schema);
  return [
    `create or replace function ${s}.refuse_event_change() returns trigger language plpgsql as $$
begin
  raise exception 'events are append-only: % on %.% is refused', tg_op, tg_table_schema, tg_table_name
    using errcode = 'insufficient_privilege';
end;
$$`,
    `create trigger events_refuse_update_delete before update or delete on ${s}.events
  for each row execute function ${s}.refuse_event_change()`,
    `create trigger events_refuse_truncate before truncate on ${s}.events
  for each statement execute function ${s}.refuse_event_change()`,
  ];
}

/** The inverse of `eventTableGuardsSql`, for a migration's `down()`. */
export function dropEventTableGuardsSql(schema: string): string[] {
  const s = quoteIdentifier(schema);
  return [
    `drop trigger if exists events_refuse_truncate on ${s}.events`,
    `drop trigger if exists events_refuse_update_delete on ${s}.events`,
    `drop function if exists ${s}.refuse_event_change()`,
  ];
}

export function quoteIdentifier(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}
