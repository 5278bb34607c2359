import { useInfiniteQuery, useQuery } from '@tanstack/react-query';
import { useMemo } from 'react';
import { Link, useNavigate, useSearchParams } from 'react-router';
import { useApi } from '../app/app-context';
import { pollInterval, useJobEventsState } from '../app/job-events-provider';
import { PageTitle } from '../components/page-title';
import { StatusBadge } from '../components/status-badge';
import { Empty, ErrorState, Loading } from '../components/states';
import { TimeText } from '../components/time-text';
import { JOB_STATUSES, TERMINAL_JOB_STATUSES, type JobStatus, type JobView } from '../api/types';
import { localDay } from '../lib/format';

const PAGE_SIZE = 25;

export interface JobFilters {
  profile: string;
  batch: string;
  from: string;
  to: string;
}

/**
 * Whether a job still matches the filters (the API filters the pages; this keeps a job whose
 * cached entry changed consistent with them), by the day it was created in the viewer's time zone.
 */
export function matchesFilters(job: JobView, filters: JobFilters): boolean {
  if (filters.profile && job.profile_key !== filters.profile) return false;
  if (filters.batch && job.batch_id !== filters.batch) return false;
  const day = localDay(new Date(job.created_at));
  if (filters.from && day < filters.from) return false;
  if (filters.to && day > filters.to) return false;
  return true;
}

/** The filters as the API takes them: days are the viewer's, from local midnight to local midnight. */
export function apiFiltersOf(filters: JobFilters): {
  profile?: string;
  batch_id?: string;
  created_from?: string;
  created_to?: string;
} {
  const midnight = (day: string, plusDays = 0) => {
    const date = new Date(`${day}T00:00:00`);
    date.setDate(date.getDate() + plusDays);
    return Number.isNaN(date.getTime()) ? undefined : date.toISOString();
  };
  const from = filters.from ? midnight(filters.from) : undefined;
  const to = filters.to ? midnight(filters.to, 1) : undefined;
  return {
    ...(filters.profile ? { profile: filters.profile } : {}),
    ...(filters.batch ? { batch_id: filters.batch } : {}),
    ...(from ? { created_from: from } : {}),
    ...(to ? { created_to: to } : {}),
  };
}

export function JobsPage() {
  const api = useApi();
  const navigate = useNavigate();
  const live = useJobEventsState();
  const [params, setParams] = useSearchParams();
  const status = (JOB_STATUSES as readonly string[]).includes(params.get('status') ?? '')
    ? (params.get('status') as JobStatus)
    : undefined;
  const filters: JobFilters = {
    profile: params.get('profile') ?? '',
    batch: params.get('batch') ?? '',
    from: params.get('from') ?? '',
    to: params.get('to') ?? '',
  };
  const serverFilters = apiFiltersOf(filters);

  const profiles = useQuery({ queryKey: ['profiles'], queryFn: () => api.listProfiles() });
  const jobs = useInfiniteQuery({
    queryKey: ['jobs', status ?? 'all', serverFilters],
    queryFn: ({ pageParam }) =>
      api.listJobs({
        ...(status ? { status } : {}),
        ...serverFilters,
        limit: PAGE_SIZE,
        ...(pageParam ? { cursor: pageParam } : {}),
      }),
    initialPageParam: '',
    getNextPageParam: (page) => page.next_cursor ?? undefined,
    refetchInterval: (query) =>
      pollInterval(
        live,
        (query.state.data?.pages ?? []).some((page) =>
          page.items.some((job) => !TERMINAL_JOB_STATUSES.includes(job.status)),
        ),
      ),
  });

  const all = useMemo(() => (jobs.data?.pages ?? []).flatMap((page) => page.items), [jobs.data]);
  const shown = all.filter((job) => matchesFilters(job, filters));
  const batches = [...new Set(all.map((job) => job.batch_id).filter((id): id is string => Boolean(id)))];

  const setFilter = (name: string, value: string) => {
    const next = new URLSearchParams(params);
    if (value) next.set(name, value);
    else next.delete(name);
    setParams(next, { replace: true });
  };

  return (
    <section>
      <PageTitle title="Jobs">
        <button type="button" className="button primary" onClick={() => navigate('/jobs/new')}>
          New analysis
        </button>
      </PageTitle>

      <form className="filters" aria-label="Filter jobs" onSubmit={(event) => event.preventDefault()}>
        <div className="field">
          <label htmlFor="filter-status">Status</label>
          <select
            id="filter-status"
            value={status ?? ''}
            onChange={(e) => setFilter('status', e.target.value)}
          >
            <option value="">Any status</option>
            {JOB_STATUSES.map((value) => (
              <option key={value} value={value}>
                {value}
              </option>
            ))}
          </select>
        </div>
        <div className="field">
          <label htmlFor="filter-profile">Profile</label>
          <select
            id="filter-profile"
            value={filters.profile}
            onChange={(e) => setFilter('profile', e.target.value)}
          >
            <option value="">Any profile</option>
            {(profiles.data?.items ?? []).map((profile) => (
              <option key={profile.key} value={profile.key}>
                {profile.name}
              </option>
            ))}
          </select>
        </div>
        <div className="field">
          <label htmlFor="filter-batch">Batch</label>
          <select
            id="filter-batch"
            value={filters.batch}
            onChange={(e) => setFilter('batch', e.target.value)}
          >
            <option value="">Any batch</option>
            {filters.batch && !batches.includes(filters.batch) ? (
              <option value={filters.batch}>{filters.batch.slice(0, 8)}</option>
            ) : null}
            {batches.map((id) => (
              <option key={id} value={id}>
                {id.slice(0, 8)}
              </option>
            ))}
          </select>
        </div>
        <div className="field">
          <label htmlFor="filter-from">Created from</label>
          <input
            id="filter-from"
            type="date"
            value={filters.from}
            onChange={(e) => setFilter('from', e.target.value)}
          />
        </div>
        <div className="field">
          <label htmlFor="filter-to">Created until</label>
          <input
            id="filter-to"
            type="date"
            value={filters.to}
            onChange={(e) => setFilter('to', e.target.value)}
          />
        </div>
      </form>

      {jobs.isPending ? (
        <Loading label="Loading your jobs" />
      ) : jobs.isError ? (
        <ErrorState error={jobs.error} retry={() => void jobs.refetch()} />
      ) : shown.length === 0 ? (
        <Empty>
          {all.length === 0 && !status ? (
            <>
              <p>No analyses yet.</p>
              <p>
                <Link to="/jobs/new">Upload a transcript</Link> to get its summary, decisions and tasks.
              </p>
            </>
          ) : (
            <p>No job matches these filters{jobs.hasNextPage ? ' among those loaded' : ''}.</p>
          )}
        </Empty>
      ) : (
        <div className="table-wrap">
          <table className="table-responsive">
            <caption className="visually-hidden">Your jobs, newest first</caption>
            <thead>
              <tr>
                <th scope="col">Transcript</th>
                <th scope="col">Status</th>
                <th scope="col">Profile</th>
                <th scope="col">Batch</th>
                <th scope="col">Created</th>
              </tr>
            </thead>
            <tbody>
              {shown.map((job) => (
                <tr key={job.id}>
                  <td data-label="Transcript">
                    <Link to={`/jobs/${job.id}`}>{job.filename ?? `Job ${job.id.slice(0, 8)}`}</Link>
                    {job.rerun_of ? <span className="muted small"> (re-run)</span> : null}
                  </td>
                  <td data-label="Status">
                    <StatusBadge status={job.status} />
                  </td>
                  <td data-label="Profile">
                    {job.profile_key} v{job.profile_version}
                  </td>
                  <td data-label="Batch">
                    {job.batch_id ? (
                      <Link to={`/batches/${job.batch_id}`}>{job.batch_id.slice(0, 8)}</Link>
                    ) : (
                      '—'
                    )}
                  </td>
                  <td data-label="Created">
                    <TimeText iso={job.created_at} />
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {jobs.hasNextPage ? (
        <div className="list-footer">
          <button
            type="button"
            className="button secondary"
            onClick={() => void jobs.fetchNextPage()}
            disabled={jobs.isFetchingNextPage}
          >
            {jobs.isFetchingNextPage ? 'Loading…' : 'Load more'}
          </button>
        </div>
      ) : null}
    </section>
  );
}
