import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useEffect, useState, type FormEvent } from 'react';
import { useApi } from '../../app/app-context';
import { ActionError, Loading } from '../states';

/** Renaming a job's speakers; two labels given one name are merged. */
export function SpeakersPanel({ jobId, labels }: { jobId: string; labels: string[] }) {
  const api = useApi();
  const queryClient = useQueryClient();
  const [names, setNames] = useState<Record<string, string>>({});
  const [relabelId, setRelabelId] = useState<string | null>(null);

  const submit = useMutation({
    mutationFn: (rename: Record<string, string>) => api.relabelSpeakers(jobId, rename),
    onSuccess: (accepted) => setRelabelId(accepted.relabel_id),
  });
  const status = useQuery({
    queryKey: ['relabel', jobId, relabelId],
    queryFn: () => api.relabelStatus(jobId, relabelId as string),
    enabled: Boolean(relabelId),
    refetchInterval: (query) => (query.state.data?.status === 'pending' || !query.state.data ? 1_000 : false),
    staleTime: 0,
  });
  const applied = status.data?.status === 'applied';
  useEffect(() => {
    if (!applied) return;
    setNames({});
    // The artifacts keep their ids and point at re-rendered files: read them again.
    void queryClient.invalidateQueries({ queryKey: ['artifacts', jobId] });
  }, [applied, relabelId, jobId, queryClient]);

  const rename = Object.fromEntries(
    Object.entries(names)
      .map(([label, name]) => [label, name.trim()] as const)
      .filter(([label, name]) => name && name !== label),
  );
  const onSubmit = (event: FormEvent) => {
    event.preventDefault();
    if (Object.keys(rename).length > 0) submit.mutate(rename);
  };

  return (
    <section className="panel" aria-labelledby="rename-heading">
      <h2 id="rename-heading">Rename speakers</h2>
      <form className="form" onSubmit={onSubmit}>
        <p className="hint">Give two speakers the same name to merge them.</p>
        {labels.map((label) => (
          <div className="field" key={label}>
            <label htmlFor={`rename-${label}`}>New name for {label}</label>
            <input
              id={`rename-${label}`}
              type="text"
              maxLength={200}
              value={names[label] ?? ''}
              placeholder={label}
              onChange={(event) => setNames((current) => ({ ...current, [label]: event.target.value }))}
            />
          </div>
        ))}
        <ActionError error={submit.error ?? status.error} />
        {status.data?.status === 'failed' ? (
          <p className="action-error" role="alert">
            {status.data.error?.message ?? 'The renaming failed.'}
          </p>
        ) : null}
        {relabelId && (!status.data || status.data.status === 'pending') ? (
          <Loading label="Renaming" />
        ) : null}
        {applied ? (
          <p className="notice success" role="status">
            Speakers renamed.
          </p>
        ) : null}
        <div>
          <button
            type="submit"
            className="button secondary"
            disabled={submit.isPending || Object.keys(rename).length === 0}
          >
            Rename speakers
          </button>
        </div>
      </form>
    </section>
  );
}
