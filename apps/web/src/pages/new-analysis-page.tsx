import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useEffect, useId, useRef, useState, type DragEvent, type FormEvent } from 'react';
import { useNavigate } from 'react-router';
import { ApiError } from '../api/api-error';
import { perFileProgress, uploadTranscripts } from '../api/upload';
import { useServices } from '../app/app-context';
import { PageTitle } from '../components/page-title';
import { ActionError, ErrorState, Loading } from '../components/states';
import { formatBytes } from '../lib/format';
import { validateUpload, type UploadErrors } from '../lib/upload-validation';

const ACCEPT = '.vtt,.srt,.json,.txt,.md,text/vtt,text/plain,application/json';

export function NewAnalysisPage() {
  const { api, session } = useServices();
  const queryClient = useQueryClient();
  const navigate = useNavigate();
  const [files, setFiles] = useState<File[]>([]);
  const [profile, setProfile] = useState('');
  const [version, setVersion] = useState('');
  const [meetingDate, setMeetingDate] = useState('');
  const [errors, setErrors] = useState<UploadErrors>({});
  const [progress, setProgress] = useState<number[] | null>(null);
  const [refusal, setRefusal] = useState<unknown>(null);
  const [dragging, setDragging] = useState(false);
  const fileInput = useRef<HTMLInputElement>(null);
  const ids = { files: useId(), profile: useId(), version: useId(), date: useId() };

  const profiles = useQuery({ queryKey: ['profiles'], queryFn: () => api.listProfiles() });
  const chosen = useQuery({
    queryKey: ['profile', profile],
    queryFn: () => api.getProfile(profile),
    enabled: Boolean(profile),
  });

  useEffect(() => {
    const items = profiles.data?.items ?? [];
    const first = items[0];
    if (!profile && first) setProfile(items.find((p) => p.key === 'meeting')?.key ?? first.key);
  }, [profiles.data, profile]);

  const addFiles = (list: FileList | null) => {
    if (!list) return;
    // Copied now: the FileList is live, and the input is cleared right after (to allow re-adding).
    const added = Array.from(list);
    setFiles((current) => [...current, ...added]);
    setErrors((current) => ({ ...current, files: undefined }));
  };

  const onDrop = (event: DragEvent) => {
    event.preventDefault();
    setDragging(false);
    addFiles(event.dataTransfer.files);
  };

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setRefusal(null);
    const found = validateUpload({ files, profile, meetingDate });
    setErrors(found);
    if (Object.values(found).some(Boolean)) return;
    const token = await session.accessToken();
    if (!token) return;
    setProgress(files.map(() => 0));
    const batch = files.length > 1;
    try {
      const created = await uploadTranscripts(
        `${api.apiBase}${batch ? '/jobs/batch' : '/jobs'}`,
        token,
        {
          profile,
          ...(version ? { profile_version: Number(version) } : {}),
          ...(meetingDate ? { meeting_date: meetingDate } : {}),
        },
        files,
        (sent) =>
          setProgress(
            perFileProgress(
              files.map((file) => file.size),
              sent,
            ),
          ),
      );
      setProgress(files.map(() => 1));
      void queryClient.invalidateQueries({ queryKey: ['jobs'] });
      void queryClient.invalidateQueries({ queryKey: ['batches'] });
      if (created.batch_id) navigate(`/batches/${created.batch_id}`);
      else if (created.job_id) navigate(`/jobs/${created.job_id}`);
    } catch (caught) {
      setProgress(null);
      setRefusal(caught);
      if (caught instanceof ApiError && caught.status === 401) session.forget();
    }
  };

  const uploading = progress !== null && !refusal;
  const activeVersions = (chosen.data?.versions ?? []).filter((v) => v.status !== 'deprecated');

  return (
    <section>
      <PageTitle title="New analysis" />
      {profiles.isError ? <ErrorState error={profiles.error} retry={() => void profiles.refetch()} /> : null}
      <form className="form panel" onSubmit={submit} noValidate>
        <div
          className={`dropzone${dragging ? ' dragging' : ''}`}
          onDragOver={(event) => {
            event.preventDefault();
            setDragging(true);
          }}
          onDragLeave={() => setDragging(false)}
          onDrop={onDrop}
        >
          <div className="field">
            <label htmlFor={ids.files}>Transcript files</label>
            <input
              id={ids.files}
              ref={fileInput}
              type="file"
              multiple
              accept={ACCEPT}
              aria-describedby={`${ids.files}-hint${errors.files ? ` ${ids.files}-error` : ''}`}
              aria-invalid={errors.files ? true : undefined}
              onChange={(event) => {
                addFiles(event.target.files);
                event.target.value = '';
              }}
              disabled={uploading}
            />
            <p className="hint" id={`${ids.files}-hint`}>
              Drop files here or choose them: WebVTT, SRT, JSON (Whisper, AssemblyAI, Deepgram), Otter or
              plain text, up to 20 MB each. One file makes a job; several make a batch.
            </p>
            {errors.files ? (
              <p className="field-error" id={`${ids.files}-error`}>
                {errors.files}
              </p>
            ) : null}
          </div>
        </div>

        {files.length > 0 ? (
          <ul className="file-list" aria-label="Files to analyse">
            {files.map((file, index) => (
              <li key={`${file.name}-${index}`}>
                <span>
                  {file.name} <span className="muted small">{formatBytes(file.size)}</span>
                </span>
                {uploading ? (
                  <span className="small muted">{Math.round((progress[index] ?? 0) * 100)}%</span>
                ) : (
                  <button
                    type="button"
                    className="button secondary small"
                    onClick={() => setFiles((current) => current.filter((_, i) => i !== index))}
                    aria-label={`Remove ${file.name}`}
                  >
                    Remove
                  </button>
                )}
                {progress ? (
                  <progress max={1} value={progress[index] ?? 0} aria-label={`Upload of ${file.name}`} />
                ) : null}
              </li>
            ))}
          </ul>
        ) : null}

        <div className="form-row">
          <div className="field">
            <label htmlFor={ids.profile}>Profile</label>
            <select
              id={ids.profile}
              value={profile}
              onChange={(event) => {
                setProfile(event.target.value);
                setVersion('');
              }}
              aria-invalid={errors.profile ? true : undefined}
              aria-describedby={`${ids.profile}-description`}
              disabled={uploading || profiles.isPending}
            >
              {profiles.isPending ? <option value="">Loading profiles…</option> : null}
              {(profiles.data?.items ?? []).map((item) => (
                <option key={item.key} value={item.key}>
                  {item.name}
                </option>
              ))}
            </select>
            {errors.profile ? <p className="field-error">{errors.profile}</p> : null}
          </div>
          <div className="field">
            <label htmlFor={ids.version}>Profile version</label>
            <select
              id={ids.version}
              value={version}
              onChange={(event) => setVersion(event.target.value)}
              disabled={uploading || !chosen.data}
            >
              <option value="">Default{chosen.data ? ` (v${chosen.data.default_version})` : ''}</option>
              {activeVersions.map((item) => (
                <option key={item.version} value={item.version}>
                  v{item.version}
                  {item.status === 'draft' ? ' (draft)' : ''}
                </option>
              ))}
            </select>
          </div>
          <div className="field">
            <label htmlFor={ids.date}>Meeting date (optional)</label>
            <input
              id={ids.date}
              type="date"
              value={meetingDate}
              onChange={(event) => setMeetingDate(event.target.value)}
              aria-invalid={errors.meetingDate ? true : undefined}
              aria-describedby={`${ids.date}-hint`}
              disabled={uploading}
            />
            <p className="hint" id={`${ids.date}-hint`}>
              Turns “next Friday” in tasks into a date.
            </p>
            {errors.meetingDate ? <p className="field-error">{errors.meetingDate}</p> : null}
          </div>
        </div>
        <div className="hint" id={`${ids.profile}-description`}>
          {chosen.isPending && profile ? (
            <Loading label="Loading the profile" />
          ) : (
            (chosen.data?.description ??
            profiles.data?.items.find((p) => p.key === profile)?.description ??
            '')
          )}
        </div>

        <ActionError error={refusal} />
        <div>
          <button type="submit" className="button primary" disabled={uploading}>
            {uploading ? 'Uploading…' : 'Start analysis'}
          </button>
        </div>
      </form>
    </section>
  );
}
