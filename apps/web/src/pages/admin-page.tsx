import { useInfiniteQuery, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import type { AuditQuery } from '../api/types';
import { useApi, useSignedInUser } from '../app/app-context';
import { PageTitle } from '../components/page-title';
import { ActionError, Empty, ErrorState, Loading } from '../components/states';
import { TimeText } from '../components/time-text';
import { formatUsd, localDay } from '../lib/format';

export function AdminPage() {
  const user = useSignedInUser();
  if (user?.role !== 'admin') {
    return (
      <section>
        <PageTitle title="Admin" />
        <p className="state state-error" role="alert">
          Only admins can open this page.
        </p>
      </section>
    );
  }
  return (
    <section>
      <PageTitle title="Admin" />
      <div className="stack">
        <Users />
        <AuditLog />
        <Usage />
      </div>
    </section>
  );
}

function Users() {
  const api = useApi();
  const me = useSignedInUser();
  const queryClient = useQueryClient();
  const users = useInfiniteQuery({
    queryKey: ['admin-users'],
    queryFn: ({ pageParam }) => api.listUsers(pageParam || undefined),
    initialPageParam: '',
    getNextPageParam: (page) => page.next_cursor ?? undefined,
  });
  const change = useMutation({
    mutationFn: ({ id, role }: { id: string; role: 'admin' | 'user' }) => api.changeRole(id, role),
    onSuccess: () => void queryClient.invalidateQueries({ queryKey: ['admin-users'] }),
  });
  const items = (users.data?.pages ?? []).flatMap((page) => page.items);
  return (
    <section className="panel" aria-labelledby="users-heading">
      <h2 id="users-heading">Users and roles</h2>
      <ActionError error={change.error} />
      {users.isPending ? (
        <Loading label="Loading users" />
      ) : users.isError ? (
        <ErrorState error={users.error} retry={() => void users.refetch()} />
      ) : items.length === 0 ? (
        <Empty>No users.</Empty>
      ) : (
        <div className="table-wrap">
          <table className="table-responsive">
            <thead>
              <tr>
                <th scope="col">Email</th>
                <th scope="col">Name</th>
                <th scope="col">Role</th>
                <th scope="col">Since</th>
              </tr>
            </thead>
            <tbody>
              {items.map((user) => (
                <tr key={user.id}>
                  <td data-label="Email">{user.email}</td>
                  <td data-label="Name">{user.name ?? '—'}</td>
                  <td data-label="Role">
                    <label className="visually-hidden" htmlFor={`role-${user.id}`}>
                      Role of {user.email}
                    </label>
                    <select
                      id={`role-${user.id}`}
                      value={user.role}
                      disabled={change.isPending || user.id === me?.id}
                      onChange={(event) =>
                        change.mutate({ id: user.id, role: event.target.value as 'admin' | 'user' })
                      }
                    >
                      <option value="user">user</option>
                      <option value="admin">admin</option>
                    </select>
                  </td>
                  <td data-label="Since">
                    <TimeText iso={user.created_at} />
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {users.hasNextPage ? (
        <div className="list-footer">
          <button type="button" className="button secondary" onClick={() => void users.fetchNextPage()}>
            Load more
          </button>
        </div>
      ) : null}
    </section>
  );
}

/** A datetime-local value (the viewer's time zone) as an ISO instant. */
function isoOf(local: string): string | undefined {
  if (!local) return undefined;
  const date = new Date(local);
  return Number.isNaN(date.getTime()) ? undefined : date.toISOString();
}

function AuditLog() {
  const api = useApi();
  const [draft, setDraft] = useState({ actor_id: '', type: '', correlation_id: '', from: '', to: '' });
  const [filters, setFilters] = useState<AuditQuery>({});
  const audit = useInfiniteQuery({
    queryKey: ['audit', filters],
    queryFn: ({ pageParam }) =>
      api.audit({ ...filters, limit: 50, ...(pageParam ? { cursor: pageParam } : {}) }),
    initialPageParam: '',
    getNextPageParam: (page) => page.next_cursor ?? undefined,
  });
  const verify = useMutation({ mutationFn: () => api.verifyAudit() });
  const submit = (event: FormEvent) => {
    event.preventDefault();
    const next: AuditQuery = {};
    if (draft.actor_id.trim()) next.actor_id = draft.actor_id.trim();
    if (draft.type.trim()) next.type = draft.type.trim();
    if (draft.correlation_id.trim()) next.correlation_id = draft.correlation_id.trim();
    const from = isoOf(draft.from);
    const to = isoOf(draft.to);
    if (from) next.from = from;
    if (to) next.to = to;
    setFilters(next);
  };
  const items = (audit.data?.pages ?? []).flatMap((page) => page.items);
  const field = (name: keyof typeof draft, label: string, type = 'text') => (
    <div className="field">
      <label htmlFor={`audit-${name}`}>{label}</label>
      <input
        id={`audit-${name}`}
        type={type}
        value={draft[name]}
        onChange={(event) => setDraft((current) => ({ ...current, [name]: event.target.value }))}
      />
    </div>
  );
  return (
    <section className="panel" aria-labelledby="audit-heading">
      <h2 id="audit-heading">Audit log</h2>
      <form className="filters" onSubmit={submit} aria-label="Filter the audit log">
        {field('actor_id', 'Actor id')}
        {field('type', 'Event type')}
        {field('correlation_id', 'Correlation id')}
        {field('from', 'From', 'datetime-local')}
        {field('to', 'Until', 'datetime-local')}
        <div>
          <button type="submit" className="button secondary">
            Apply filters
          </button>
        </div>
      </form>
      <div className="row-actions">
        <button
          type="button"
          className="button secondary"
          onClick={() => verify.mutate()}
          disabled={verify.isPending}
        >
          Verify hash chains
        </button>
      </div>
      <VerifyResult state={verify} />
      <div className="results-section">
        {audit.isPending ? (
          <Loading label="Loading the audit log" />
        ) : audit.isError ? (
          <ErrorState error={audit.error} retry={() => void audit.refetch()} />
        ) : items.length === 0 ? (
          <Empty>No entries match.</Empty>
        ) : (
          <div className="table-wrap">
            <table className="table-responsive">
              <caption className="visually-hidden">Audit entries, oldest first</caption>
              <thead>
                <tr>
                  <th scope="col">Recorded</th>
                  <th scope="col">Service</th>
                  <th scope="col">Event</th>
                  <th scope="col">Actor</th>
                  <th scope="col">Stream</th>
                  <th scope="col">Correlation</th>
                </tr>
              </thead>
              <tbody>
                {items.map((entry) => (
                  <tr key={`${entry.service}-${entry.position}`}>
                    <td data-label="Recorded">
                      <TimeText iso={entry.recorded_at} />
                    </td>
                    <td data-label="Service">{entry.service}</td>
                    <td data-label="Event">{entry.type}</td>
                    <td data-label="Actor" className="mono">
                      {entry.actor.role}:{entry.actor.id.slice(0, 12)}
                    </td>
                    <td data-label="Stream" className="mono">
                      {entry.stream_id} v{entry.version}
                    </td>
                    <td data-label="Correlation" className="mono">
                      {entry.correlation_id.slice(0, 12)}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
        {audit.hasNextPage ? (
          <div className="list-footer">
            <button
              type="button"
              className="button secondary"
              onClick={() => void audit.fetchNextPage()}
              disabled={audit.isFetchingNextPage}
            >
              Load more
            </button>
          </div>
        ) : null}
      </div>
    </section>
  );
}

function VerifyResult({ state }: { state: { data?: unknown; error: unknown; isSuccess: boolean } }) {
  if (state.error) return <ActionError error={state.error} />;
  if (!state.isSuccess) return null;
  const report = state.data as { ok?: boolean; verified?: boolean } | undefined;
  const ok = report?.ok ?? report?.verified;
  return (
    <div className={`notice${ok ? ' success' : ''}`} role="status">
      <p>
        {ok === false
          ? 'A hash chain is broken.'
          : ok
            ? 'Every hash chain verifies.'
            : 'Verification result:'}
      </p>
      <pre>{JSON.stringify(state.data, null, 2)}</pre>
    </div>
  );
}

/**
 * Spend and jobs of today as the console can see them: the admin's own jobs (the API has no
 * platform-wide usage route; the jobs service enforces the quotas and caps).
 */
function Usage() {
  const api = useApi();
  const jobs = useQuery({ queryKey: ['jobs', 'usage'], queryFn: () => api.listJobs({ limit: 100 }) });
  const today = localDay();
  const todays = (jobs.data?.items ?? []).filter((job) => localDay(new Date(job.created_at)) === today);
  const spendToday = todays.reduce((sum, job) => sum + job.cost, 0);
  const spendLoaded = (jobs.data?.items ?? []).reduce((sum, job) => sum + job.cost, 0);
  return (
    <section className="panel" aria-labelledby="usage-heading">
      <h2 id="usage-heading">Quota and spend</h2>
      {jobs.isPending ? (
        <Loading label="Loading usage" />
      ) : jobs.isError ? (
        <ErrorState error={jobs.error} retry={() => void jobs.refetch()} />
      ) : (
        <>
          <dl className="facts">
            <div>
              <dt>Your jobs today</dt>
              <dd>{todays.length}</dd>
            </div>
            <div>
              <dt>Your spend today</dt>
              <dd>{formatUsd(spendToday)}</dd>
            </div>
            <div>
              <dt>Spend, last {jobs.data.items.length} jobs</dt>
              <dd>{formatUsd(spendLoaded)}</dd>
            </div>
          </dl>
          <p className="hint">
            Per-user daily quotas (jobs, transcript size) and LLM spend caps are enforced by the jobs service;
            a refused upload says which limit it reached. Platform-wide figures are not offered by the API
            yet.
          </p>
        </>
      )}
    </section>
  );
}
