import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useEffect, useRef, useState } from 'react';
import { Link, useLocation, useNavigate, useParams, useSearchParams } from 'react-router';
import type { AnalysisResults, TranscriptDocument } from '../api/results';
import { TERMINAL_JOB_STATUSES, type ArtifactView, type JobView } from '../api/types';
import { useApi } from '../app/app-context';
import { pollInterval, useJobEventsState } from '../app/job-events-provider';
import { ArtifactDownload } from '../components/artifact-download';
import { ChangesView } from '../components/changes-view';
import { AskPanel } from '../components/job/ask-panel';
import { ExportPanel } from '../components/job/export-panel';
import { RerunPanel } from '../components/job/rerun-panel';
import { SpeakersPanel } from '../components/job/speakers-panel';
import { PageTitle } from '../components/page-title';
import { ResultsView } from '../components/results-view';
import { ActionError, ErrorState, Loading } from '../components/states';
import { StatusBadge } from '../components/status-badge';
import { TimeText } from '../components/time-text';
import { TranscriptView } from '../components/transcript-view';
import { formatDate, formatDuration, formatUsd } from '../lib/format';

function useArtifactJson<T>(artifact: ArtifactView | undefined) {
  const api = useApi();
  return useQuery({
    queryKey: ['artifact-json', artifact?.id, artifact?.checksum],
    queryFn: () => api.artifactJson<T>((artifact as ArtifactView).id),
    enabled: Boolean(artifact),
    staleTime: Infinity,
    // Re-rendered files (renamed speakers) replace the shown ones once loaded, without a gap.
    placeholderData: keepPreviousData,
  });
}

export function JobPage() {
  const { jobId = '' } = useParams();
  const api = useApi();
  const live = useJobEventsState();
  const job = useQuery({
    queryKey: ['job', jobId],
    queryFn: () => api.getJob(jobId),
    refetchInterval: (query) =>
      pollInterval(
        live,
        Boolean(query.state.data && !TERMINAL_JOB_STATUSES.includes(query.state.data.status)),
      ),
  });

  if (job.isPending) return <Loading label="Loading the job" />;
  if (job.isError)
    return (
      <section>
        <PageTitle title="Job" />
        <ErrorState error={job.error} retry={() => void job.refetch()} />
        <p>
          <Link to="/jobs">Back to your jobs</Link>
        </p>
      </section>
    );
  return <JobDetails job={job.data} />;
}

function JobDetails({ job }: { job: JobView }) {
  const api = useApi();
  const completed = job.status === 'completed';
  const artifacts = useQuery({
    queryKey: ['artifacts', job.id],
    queryFn: () => api.artifactsOf(job.id),
    enabled: completed,
    staleTime: 0,
  });
  const list = artifacts.data?.items ?? [];
  const resultsArtifact = list.find((a) => a.kind === 'results_json');
  const markdownArtifact = list.find((a) => a.kind === 'results_md');
  const transcriptArtifact = list.find((a) => a.kind === 'transcript');
  const results = useArtifactJson<AnalysisResults>(resultsArtifact);
  const transcript = useArtifactJson<TranscriptDocument>(transcriptArtifact);

  const [params] = useSearchParams();
  const location = useLocation();
  const segment = params.get('segment');
  const transcriptPanel = useRef<HTMLDivElement>(null);
  useEffect(() => {
    // On a narrow screen the transcript is below the results: bring it into view.
    if (segment && transcriptPanel.current && window.matchMedia?.('(max-width: 860px)').matches) {
      transcriptPanel.current.scrollIntoView({ block: 'start' });
    }
  }, [segment, location.key]);

  const speakerLabels =
    transcript.data?.speakers.map((s) => s.label) ??
    results.data?.speaker_statistics?.map((s) => s.speaker) ??
    [];

  return (
    <article>
      <PageTitle title={job.filename ?? `Job ${job.id.slice(0, 8)}`}>
        <JobActions job={job} />
      </PageTitle>
      <JobFacts job={job} />

      {job.status === 'failed' && job.error ? (
        <div className="state state-error" role="alert">
          <p>
            The analysis failed: {job.error.message} <span className="mono">({job.error.code})</span>
          </p>
        </div>
      ) : null}
      {job.status === 'queued' || job.status === 'running' ? (
        <p className="notice" role="status">
          This job is {job.status}. The page updates by itself when it is done.
        </p>
      ) : null}
      {job.status === 'cancelled' ? <p className="notice">This job was cancelled.</p> : null}

      {job.rerun_of ? <ChangesPanel job={job} /> : null}

      {completed ? (
        <>
          <section className="panel job-tools" aria-label="Downloads, export and re-run">
            <div className="tool-group">
              <h2 className="label" id="downloads-heading">
                Downloads
              </h2>
              {artifacts.isPending ? <Loading label="Loading the downloads" /> : null}
              {artifacts.isError ? (
                <ErrorState error={artifacts.error} retry={() => void artifacts.refetch()} />
              ) : null}
              <ul className="downloads" aria-labelledby="downloads-heading">
                {markdownArtifact ? (
                  <li>
                    <ArtifactDownload artifact={markdownArtifact} label="Markdown" />
                  </li>
                ) : null}
                {resultsArtifact ? (
                  <li>
                    <ArtifactDownload artifact={resultsArtifact} label="JSON" />
                  </li>
                ) : null}
                {transcriptArtifact ? (
                  <li>
                    <ArtifactDownload artifact={transcriptArtifact} label="transcript (JSON)" />
                  </li>
                ) : null}
              </ul>
            </div>
            <div className="tool-group">
              <h2 className="label">Export</h2>
              <ExportPanel subjectId={job.id} what="job" />
            </div>
            <div className="tool-group">
              <h2 className="label">Re-run</h2>
              <RerunPanel job={job} />
            </div>
          </section>

          <div className="job-layout results-section">
            <div className="stack">
              <div className="panel">
                {results.isPending ? <Loading label="Loading the results" /> : null}
                {results.isError ? (
                  <ErrorState error={results.error} retry={() => void results.refetch()} />
                ) : null}
                {results.data ? <ResultsView results={results.data} /> : null}
              </div>
              <AskPanel jobId={job.id} artifacts={list} transcript={transcript.data} />
              {speakerLabels.length > 0 ? <SpeakersPanel jobId={job.id} labels={speakerLabels} /> : null}
            </div>
            <section
              className="sticky"
              aria-labelledby="transcript-heading"
              ref={transcriptPanel}
              id="transcript"
            >
              <h2 id="transcript-heading">Transcript</h2>
              {transcript.isPending && transcriptArtifact ? <Loading label="Loading the transcript" /> : null}
              {transcript.isError ? (
                <ErrorState error={transcript.error} retry={() => void transcript.refetch()} />
              ) : null}
              {!transcriptArtifact && artifacts.isSuccess ? (
                <p className="muted">The transcript is no longer kept (retention).</p>
              ) : null}
              {transcript.data ? (
                <TranscriptView
                  transcript={transcript.data}
                  highlightedSegmentId={segment}
                  highlightToken={location.key}
                />
              ) : null}
            </section>
          </div>
        </>
      ) : null}
    </article>
  );
}

function JobFacts({ job }: { job: JobView }) {
  const metrics = job.metrics;
  return (
    <dl className="facts">
      <div>
        <dt>Status</dt>
        <dd>
          <StatusBadge status={job.status} />
        </dd>
      </div>
      <div>
        <dt>Profile</dt>
        <dd>
          <Link to={`/profiles/${job.profile_key}`}>
            {job.profile_key} v{job.profile_version}
          </Link>
        </dd>
      </div>
      <div>
        <dt>Created</dt>
        <dd>
          <TimeText iso={job.created_at} />
        </dd>
      </div>
      {job.completed_at ? (
        <div>
          <dt>Completed</dt>
          <dd>
            <TimeText iso={job.completed_at} />
          </dd>
        </div>
      ) : null}
      {job.meeting_date ? (
        <div>
          <dt>Meeting date</dt>
          <dd>{formatDate(job.meeting_date)}</dd>
        </div>
      ) : null}
      {metrics?.segments != null ? (
        <div>
          <dt>Segments</dt>
          <dd>{metrics.segments}</dd>
        </div>
      ) : null}
      {metrics?.speakers != null ? (
        <div>
          <dt>Speakers</dt>
          <dd>{metrics.speakers}</dd>
        </div>
      ) : null}
      {metrics?.words != null ? (
        <div>
          <dt>Words</dt>
          <dd>{metrics.words}</dd>
        </div>
      ) : null}
      {metrics?.duration_ms != null ? (
        <div>
          <dt>Analysis took</dt>
          <dd>{formatDuration(metrics.duration_ms)}</dd>
        </div>
      ) : null}
      <div>
        <dt>Cost</dt>
        <dd>{formatUsd(job.cost)}</dd>
      </div>
      {job.provider ? (
        <div>
          <dt>Analysed by</dt>
          <dd>{job.provider}</dd>
        </div>
      ) : null}
      {job.batch_id ? (
        <div>
          <dt>Batch</dt>
          <dd>
            <Link to={`/batches/${job.batch_id}`}>{job.batch_id.slice(0, 8)}</Link>
          </dd>
        </div>
      ) : null}
      {job.rerun_of ? (
        <div>
          <dt>Re-run of</dt>
          <dd>
            <Link to={`/jobs/${job.rerun_of}`}>{job.rerun_of.slice(0, 8)}</Link>
          </dd>
        </div>
      ) : null}
    </dl>
  );
}

function JobActions({ job }: { job: JobView }) {
  const api = useApi();
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const [confirming, setConfirming] = useState(false);
  const cancel = useMutation({
    mutationFn: () => api.cancelJob(job.id),
    onSuccess: (view) => {
      queryClient.setQueryData(['job', job.id], view);
      void queryClient.invalidateQueries({ queryKey: ['jobs'] });
    },
  });
  const remove = useMutation({
    mutationFn: () => api.deleteJob(job.id),
    onSuccess: () => {
      queryClient.removeQueries({ queryKey: ['job', job.id] });
      void queryClient.invalidateQueries({ queryKey: ['jobs'] });
      navigate('/jobs', { replace: true });
    },
  });
  const moving = job.status === 'queued' || job.status === 'running';
  return (
    <div className="stack">
      <div className="row-actions">
        {moving ? (
          <button
            type="button"
            className="button secondary"
            onClick={() => cancel.mutate()}
            disabled={cancel.isPending}
          >
            Cancel job
          </button>
        ) : null}
        {confirming ? (
          <>
            <button
              type="button"
              className="button danger"
              onClick={() => remove.mutate()}
              disabled={remove.isPending}
            >
              Delete permanently
            </button>
            <button type="button" className="button secondary" onClick={() => setConfirming(false)}>
              Keep it
            </button>
          </>
        ) : (
          <button type="button" className="button danger" onClick={() => setConfirming(true)}>
            Delete job
          </button>
        )}
      </div>
      {confirming ? (
        <p className="hint" role="status">
          Deleting removes the job, its results and its uploaded transcript.
        </p>
      ) : null}
      <ActionError error={cancel.error ?? remove.error} />
    </div>
  );
}

function ChangesPanel({ job }: { job: JobView }) {
  const api = useApi();
  const ready = job.status === 'completed';
  const changes = useQuery({
    queryKey: ['changes', job.id],
    queryFn: () => api.changesOf(job.id),
    enabled: ready,
  });
  return (
    <section className="panel results-section" aria-labelledby="changes-heading">
      <h2 id="changes-heading">Changes from the original</h2>
      {!ready && !TERMINAL_JOB_STATUSES.includes(job.status) ? (
        <p className="muted">The changes appear when this re-run completes.</p>
      ) : null}
      {!ready && TERMINAL_JOB_STATUSES.includes(job.status) ? (
        <p className="muted">This re-run did not complete, so there is nothing to compare.</p>
      ) : null}
      {changes.isPending && ready ? <Loading label="Comparing the results" /> : null}
      {changes.isError ? <ErrorState error={changes.error} retry={() => void changes.refetch()} /> : null}
      {changes.data ? <ChangesView changes={changes.data} /> : null}
    </section>
  );
}
