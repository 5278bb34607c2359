import type { InfiniteData, QueryClient } from '@tanstack/react-query';
import { createContext, useContext, useEffect, useState, type ReactNode } from 'react';
import { followJobEvents, type JobEventsState } from '../api/job-events';
import { TERMINAL_JOB_STATUSES, type JobStatusEvent, type JobView, type Page } from '../api/types';
import { useServices } from './app-context';

const JobEventsContext = createContext<JobEventsState>('connecting');

/** Whether live status arrives; 'unavailable' tells pages to poll instead. */
export function useJobEventsState(): JobEventsState {
  return useContext(JobEventsContext);
}

/** How often pages poll a job that is still moving when there is no live stream. */
export function pollInterval(state: JobEventsState, moving: boolean): number | false {
  if (!moving) return false;
  return state === 'live' ? 30_000 : 4_000;
}

/** One stream for the whole signed-in console: every page's job data moves with it. */
export function JobEventsProvider({ children }: { children: ReactNode }) {
  const { session, queryClient } = useServices();
  const [state, setState] = useState<JobEventsState>('connecting');
  useEffect(
    () =>
      followJobEvents(
        session,
        (event) => applyStatusEvent(queryClient, event),
        (next) => {
          setState(next);
          // The stream carries changes from the moment it opens: what changed before (while
          // connecting or reconnecting) is read again once it is live.
          if (next === 'live') {
            for (const key of ['jobs', 'job', 'batch', 'batches']) {
              void queryClient.invalidateQueries({ queryKey: [key] });
            }
          }
        },
      ),
    [session, queryClient],
  );
  return <JobEventsContext.Provider value={state}>{children}</JobEventsContext.Provider>;
}

/** Moves a job's status in every cached list and view; a finished job is read again in full. */
export function applyStatusEvent(queryClient: QueryClient, event: JobStatusEvent): void {
  let known = false;
  queryClient.setQueriesData<InfiniteData<Page<JobView>>>({ queryKey: ['jobs'] }, (data) => {
    if (!data) return data;
    return {
      ...data,
      pages: data.pages.map((page) => ({
        ...page,
        items: page.items.map((job) => {
          if (job.id !== event.job_id) return job;
          known = true;
          return { ...job, status: event.status, attempts: event.attempt, updated_at: event.at };
        }),
      })),
    };
  });
  queryClient.setQueryData<JobView>(['job', event.job_id], (job) =>
    job ? { ...job, status: event.status, attempts: event.attempt, updated_at: event.at } : job,
  );
  if (!known) void queryClient.invalidateQueries({ queryKey: ['jobs'] });
  if (TERMINAL_JOB_STATUSES.includes(event.status)) {
    void queryClient.invalidateQueries({ queryKey: ['job', event.job_id] });
    void queryClient.invalidateQueries({ queryKey: ['artifacts', event.job_id] });
  }
  void queryClient.invalidateQueries({ queryKey: ['batch'] });
  void queryClient.invalidateQueries({ queryKey: ['batches'] });
}
