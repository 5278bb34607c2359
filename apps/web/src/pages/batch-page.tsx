import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { Link, useNavigate, useParams } from 'react-router';
import { useApi } from '../app/app-context';
import { pollInterval, useJobEventsState } from '../app/job-events-provider';
import { ExportPanel } from '../components/job/export-panel';
import { PageTitle } from '../components/page-title';
import { StatusBadge } from '../components/status-badge';
import { ActionError, ErrorState, Loading } from '../components/states';
import { TimeText } from '../components/time-text';

const COUNTS = ['queued', 'running', 'completed', 'failed', 'cancelled'] as const;

export function BatchPage() {
  const { batchId = '' } = useParams();
  const api = useApi();
  const live = useJobEventsState();
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const [confirming, setConfirming] = useState(false);
  const batch = useQuery({
    queryKey: ['batch', batchId],
    queryFn: () => api.getBatch(batchId),
    refetchInterval: (query) => pollInterval(live, query.state.data?.status === 'running'),
  });
  const remove = useMutation({
    mutationFn: () => api.deleteBatch(batchId),
    onSuccess: () => {
      void queryClient.invalidateQueries({ queryKey: ['batches'] });
      void queryClient.invalidateQueries({ queryKey: ['jobs'] });
      navigate('/batches', { replace: true });
    },
  });

  if (batch.isPending) return <Loading label="Loading the batch" />;
  if (batch.isError)
    return (
      <section>
        <PageTitle title="Batch" />
        <ErrorState error={batch.error} retry={() => void batch.refetch()} />
      </section>
    );
  const view = batch.data;
  return (
    <article>
      <PageTitle title={`Batch ${view.id.slice(0, 8)}`}>
        {confirming ? (
          <>
            <button
              type="button"
              className="button danger"
              onClick={() => remove.mutate()}
              disabled={remove.isPending}
            >
              Delete batch and its jobs
            </button>
            <button type="button" className="button secondary" onClick={() => setConfirming(false)}>
              Keep it
            </button>
          </>
        ) : (
          <button type="button" className="button danger" onClick={() => setConfirming(true)}>
            Delete batch
          </button>
        )}
      </PageTitle>
      <ActionError error={remove.error} />
      <dl className="facts">
        <div>
          <dt>Status</dt>
          <dd>
            <StatusBadge status={view.status} />
          </dd>
        </div>
        <div>
          <dt>Profile</dt>
          <dd>
            {view.profile_key} v{view.profile_version}
          </dd>
        </div>
        <div>
          <dt>Created</dt>
          <dd>
            <TimeText iso={view.created_at} />
          </dd>
        </div>
        <div>
          <dt>Transcripts</dt>
          <dd>{view.counts.total}</dd>
        </div>
        {COUNTS.map((name) => (
          <div key={name}>
            <dt>{name}</dt>
            <dd>{view.counts[name]}</dd>
          </div>
        ))}
      </dl>

      <section className="panel results-section" aria-labelledby="batch-export-heading">
        <h2 id="batch-export-heading">Export the batch</h2>
        <p className="hint">One ZIP with a folder per completed job and a checksum manifest.</p>
        <ExportPanel subjectId={view.id} what="batch" />
      </section>

      <section className="results-section" aria-labelledby="items-heading">
        <h2 id="items-heading">Transcripts</h2>
        <div className="table-wrap">
          <table className="table-responsive">
            <thead>
              <tr>
                <th scope="col">#</th>
                <th scope="col">Transcript</th>
                <th scope="col">Status</th>
              </tr>
            </thead>
            <tbody>
              {view.items.map((item, index) => (
                <tr key={item.job_id}>
                  <td data-label="#">{index + 1}</td>
                  <td data-label="Transcript">
                    <Link to={`/jobs/${item.job_id}`}>{item.filename ?? item.job_id.slice(0, 8)}</Link>
                  </td>
                  <td data-label="Status">
                    <StatusBadge status={item.status} />
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      </section>
    </article>
  );
}
