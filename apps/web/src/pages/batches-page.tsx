import { useInfiniteQuery } from '@tanstack/react-query';
import { Link } from 'react-router';
import { useApi } from '../app/app-context';
import { pollInterval, useJobEventsState } from '../app/job-events-provider';
import { PageTitle } from '../components/page-title';
import { StatusBadge } from '../components/status-badge';
import { Empty, ErrorState, Loading } from '../components/states';
import { TimeText } from '../components/time-text';

export function BatchesPage() {
  const api = useApi();
  const live = useJobEventsState();
  const batches = useInfiniteQuery({
    queryKey: ['batches'],
    queryFn: ({ pageParam }) => api.listBatches(pageParam || undefined),
    initialPageParam: '',
    getNextPageParam: (page) => page.next_cursor ?? undefined,
    refetchInterval: (query) =>
      pollInterval(
        live,
        (query.state.data?.pages ?? []).some((page) => page.items.some((b) => b.status === 'running')),
      ),
  });
  const items = (batches.data?.pages ?? []).flatMap((page) => page.items);
  return (
    <section>
      <PageTitle title="Batches" />
      {batches.isPending ? (
        <Loading label="Loading your batches" />
      ) : batches.isError ? (
        <ErrorState error={batches.error} retry={() => void batches.refetch()} />
      ) : items.length === 0 ? (
        <Empty>
          <p>No batches yet.</p>
          <p>
            <Link to="/jobs/new">Upload several transcripts at once</Link> to make one.
          </p>
        </Empty>
      ) : (
        <div className="table-wrap">
          <table className="table-responsive">
            <caption className="visually-hidden">Your batches, newest first</caption>
            <thead>
              <tr>
                <th scope="col">Batch</th>
                <th scope="col">Status</th>
                <th scope="col">Profile</th>
                <th scope="col" className="num">
                  Completed
                </th>
                <th scope="col" className="num">
                  Failed
                </th>
                <th scope="col">Created</th>
              </tr>
            </thead>
            <tbody>
              {items.map((batch) => (
                <tr key={batch.id}>
                  <td data-label="Batch">
                    <Link to={`/batches/${batch.id}`}>
                      {batch.counts.total} transcripts · {batch.id.slice(0, 8)}
                    </Link>
                  </td>
                  <td data-label="Status">
                    <StatusBadge status={batch.status} />
                  </td>
                  <td data-label="Profile">
                    {batch.profile_key} v{batch.profile_version}
                  </td>
                  <td data-label="Completed" className="num">
                    {batch.counts.completed} of {batch.counts.total}
                  </td>
                  <td data-label="Failed" className="num">
                    {batch.counts.failed}
                  </td>
                  <td data-label="Created">
                    <TimeText iso={batch.created_at} />
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {batches.hasNextPage ? (
        <div className="list-footer">
          <button
            type="button"
            className="button secondary"
            onClick={() => void batches.fetchNextPage()}
            disabled={batches.isFetchingNextPage}
          >
            Load more
          </button>
        </div>
      ) : null}
    </section>
  );
}
