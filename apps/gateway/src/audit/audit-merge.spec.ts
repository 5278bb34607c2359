import type { AuditEntry } from '@scriptripper/contracts';
import { decodeAuditCursor, encodeAuditCursor, mergeAuditPages, startPosition } from './audit-merge';

const at = (minute: number) => new Date(Date.UTC(2025, 0, 1, 0, minute)).toISOString();
const entry = (service: string, position: number, minute: number) =>
  ({ service, position, recorded_at: at(minute) }) as AuditEntry;
const ids = (items: readonly AuditEntry[]) => items.map((item) => `${item.service}:${item.position}`);

describe('merging audit pages', () => {
  it('orders entries of all services by time and resumes a partly listed page by skipping', () => {
    const position = startPosition(['auth', 'jobs']);

    const { items, next } = mergeAuditPages(
      position,
      {
        auth: { items: [entry('auth', 1, 1), entry('auth', 2, 4)], next_cursor: null },
        jobs: { items: [entry('jobs', 1, 2), entry('jobs', 2, 3)], next_cursor: null },
      },
      3,
    );

    expect(ids(items)).toEqual(['auth:1', 'jobs:1', 'jobs:2']);
    expect(next).toEqual({ auth: { cursor: null, skip: 1 } });
  });

  it('stops where a service with more entries ran out, since its next ones may come first', () => {
    const { items, next } = mergeAuditPages(
      startPosition(['auth', 'jobs']),
      {
        auth: { items: [entry('auth', 1, 1)], next_cursor: 'auth-c1' },
        jobs: { items: [entry('jobs', 1, 2), entry('jobs', 2, 3)], next_cursor: null },
      },
      10,
    );

    expect(ids(items)).toEqual(['auth:1']);
    expect(next).toEqual({ auth: { cursor: 'auth-c1', skip: 0 }, jobs: { cursor: null, skip: 0 } });
  });

  it('ends with no next position when every service is listed to its end', () => {
    const { next } = mergeAuditPages(
      startPosition(['auth']),
      { auth: { items: [entry('auth', 1, 1)], next_cursor: null } },
      10,
    );

    expect(next).toBeNull();
  });

  it('round-trips its cursor and refuses one naming an unknown service', () => {
    const position = { auth: { cursor: 'c', skip: 2 } };
    const cursor = encodeAuditCursor(position);

    expect(decodeAuditCursor(cursor, ['auth'])).toEqual(position);
    expect(() => decodeAuditCursor(cursor, ['jobs'])).toThrow('cursor is not a cursor of this listing');
  });
});
