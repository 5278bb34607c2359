import { QueryClient, type InfiniteData } from '@tanstack/react-query';
import { describe, expect, it } from 'vitest';
import type { JobView, Page } from '../api/types';
import { applyStatusEvent } from './job-events-provider';

const job = (id: string, status: JobView['status']) =>
  ({ id, status, attempts: 1, updated_at: 't0' }) as JobView;

describe('applyStatusEvent', () => {
  it('moves the job in every cached list and in its own view, and reads a finished job again', async () => {
    const client = new QueryClient({ defaultOptions: { queries: { staleTime: Infinity } } });
    const list: InfiniteData<Page<JobView>> = {
      pages: [{ items: [job('a', 'queued'), job('b', 'running')], next_cursor: null }],
      pageParams: [''],
    };
    client.setQueryData(['jobs', 'all'], list);
    client.setQueryData(['jobs', 'running'], {
      pages: [{ items: [job('b', 'running')], next_cursor: null }],
      pageParams: [''],
    });
    client.setQueryData(['job', 'b'], job('b', 'running'));

    applyStatusEvent(client, { job_id: 'b', status: 'completed', attempt: 1, at: 't1' });

    const all = client.getQueryData<InfiniteData<Page<JobView>>>(['jobs', 'all']);
    expect(all?.pages[0]?.items.map((j) => j.status)).toEqual(['queued', 'completed']);
    const running = client.getQueryData<InfiniteData<Page<JobView>>>(['jobs', 'running']);
    expect(running?.pages[0]?.items[0]?.status).toBe('completed');
    expect(client.getQueryData<JobView>(['job', 'b'])?.status).toBe('completed');
    expect(client.getQueryState(['job', 'b'])?.isInvalidated).toBe(true);
    expect(client.getQueryState(['jobs', 'all'])?.isInvalidated).toBe(false);
  });

  it('reads the lists again for a job they do not hold yet (created elsewhere)', () => {
    const client = new QueryClient();
    client.setQueryData(['jobs', 'all'], {
      pages: [{ items: [job('a', 'queued')], next_cursor: null }],
      pageParams: [''],
    });
    applyStatusEvent(client, { job_id: 'new', status: 'queued', attempt: 0, at: 't1' });
    expect(client.getQueryState(['jobs', 'all'])?.isInvalidated).toBe(true);
  });
});
