import { useMutation, useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { useApi } from '../../app/app-context';
import { ArtifactDownload } from '../artifact-download';
import { ActionError, Loading } from '../states';

/** Export a job or a batch as a ZIP (with its checksum manifest) and a JSON document. */
export function ExportPanel({ subjectId, what }: { subjectId: string; what: 'job' | 'batch' }) {
  const api = useApi();
  const [exportId, setExportId] = useState<string | null>(null);
  const start = useMutation({
    mutationFn: () => api.requestExport(subjectId),
    onSuccess: (created) => setExportId(created.export_id),
  });
  const view = useQuery({
    queryKey: ['export', exportId],
    queryFn: () => api.getExport(exportId as string),
    enabled: Boolean(exportId),
    refetchInterval: (query) => (query.state.data?.status === 'pending' || !query.state.data ? 1_500 : false),
    staleTime: 0,
  });
  const zip = view.data?.artifacts.find((a) => a.kind === 'export_zip');
  const json = view.data?.artifacts.find((a) => a.kind === 'export_json');
  return (
    <div className="stack">
      <div className="row-actions">
        <button
          type="button"
          className="button secondary"
          onClick={() => start.mutate()}
          disabled={start.isPending || view.data?.status === 'pending'}
        >
          Export ZIP
        </button>
      </div>
      <ActionError error={start.error ?? view.error} />
      {exportId && (!view.data || view.data.status === 'pending') ? (
        <Loading label={`Building the ${what} export`} />
      ) : null}
      {view.data?.status === 'failed' ? (
        <p className="action-error" role="alert">
          {view.data.error?.message ?? 'The export failed.'}
        </p>
      ) : null}
      {view.data?.status === 'completed' ? (
        <ul className="downloads" aria-label="Export downloads">
          {zip ? (
            <li>
              <ArtifactDownload artifact={zip} label="ZIP" />
            </li>
          ) : null}
          {json ? (
            <li>
              <ArtifactDownload artifact={json} label="export JSON" />
            </li>
          ) : null}
        </ul>
      ) : null}
    </div>
  );
}
