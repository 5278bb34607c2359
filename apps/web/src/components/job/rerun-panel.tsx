import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { useNavigate } from 'react-router';
import type { JobView } from '../../api/types';
import { useApi } from '../../app/app-context';
import { ActionError } from '../states';

/** Re-run an ended job, under another version of its profile if chosen. */
export function RerunPanel({ job }: { job: JobView }) {
  const api = useApi();
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const [version, setVersion] = useState('');
  const profile = useQuery({
    queryKey: ['profile', job.profile_key],
    queryFn: () => api.getProfile(job.profile_key),
  });
  const rerun = useMutation({
    mutationFn: () => api.rerunJob(job.id, version ? Number(version) : undefined),
    onSuccess: (created) => {
      void queryClient.invalidateQueries({ queryKey: ['jobs'] });
      navigate(`/jobs/${created.job_id}`);
    },
  });
  const versions = (profile.data?.versions ?? []).filter((v) => v.status !== 'deprecated');
  const submit = (event: FormEvent) => {
    event.preventDefault();
    rerun.mutate();
  };
  return (
    <form className="form" onSubmit={submit} aria-label="Re-run">
      <div className="form-row">
        <div className="field">
          <label htmlFor="rerun-version">Re-run with version</label>
          <select id="rerun-version" value={version} onChange={(event) => setVersion(event.target.value)}>
            <option value="">Same version (v{job.profile_version})</option>
            {versions
              .filter((v) => v.version !== job.profile_version)
              .map((v) => (
                <option key={v.version} value={v.version}>
                  v{v.version}
                  {v.status === 'draft' ? ' (draft)' : ''}
                </option>
              ))}
          </select>
        </div>
        <div>
          <button type="submit" className="button secondary" disabled={rerun.isPending}>
            Re-run
          </button>
        </div>
      </div>
      <ActionError error={rerun.error} />
    </form>
  );
}
