import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useEffect, useId, useState, type FormEvent } from 'react';
import { Link } from 'react-router';
import { segmentIndexOfCitation, type TranscriptDocument } from '../../api/results';
import type { ArtifactView, PromptAnswerDocument, PromptView } from '../../api/types';
import { useApi } from '../../app/app-context';
import { formatOffset } from '../../lib/format';
import { ActionError, ErrorState, Loading } from '../states';
import { StatusBadge } from '../status-badge';
import { TimeText } from '../time-text';

/** Plain paragraphs and bullet lists of an answer's Markdown; nothing rendered as HTML. */
function AnswerText({ markdown }: { markdown: string }) {
  const blocks = markdown.trim().split(/\n\s*\n/);
  return (
    <>
      {blocks.map((block, index) => {
        const lines = block.split('\n');
        if (lines.every((line) => line.startsWith('>'))) {
          return (
            <blockquote key={index}>
              {lines.map((line, i) => (
                <p key={i}>{clean(line.replace(/^>\s?/, ''))}</p>
              ))}
            </blockquote>
          );
        }
        if (lines.every((line) => /^\s*[-*] /.test(line))) {
          return (
            <ul key={index}>
              {lines.map((line, i) => (
                <li key={i}>{clean(line.replace(/^\s*[-*] /, ''))}</li>
              ))}
            </ul>
          );
        }
        return <p key={index}>{clean(block)}</p>;
      })}
    </>
  );
}

const clean = (text: string) => text.replace(/\*\*|__|`/g, '').replace(/^#+\s*/gm, '');

function Answer({
  prompt,
  artifacts,
  transcript,
}: {
  prompt: PromptView;
  artifacts: ArtifactView[];
  transcript: TranscriptDocument | undefined;
}) {
  const api = useApi();
  const artifact = artifacts.find((a) => a.id === prompt.json_artifact_id);
  const answer = useQuery({
    queryKey: ['artifact-json', prompt.json_artifact_id, artifact?.checksum],
    queryFn: () => api.artifactJson<PromptAnswerDocument>(prompt.json_artifact_id as string),
    enabled: Boolean(prompt.json_artifact_id),
    staleTime: Infinity,
  });
  if (answer.isPending) return <Loading label="Loading the answer" />;
  if (answer.isError) return <ErrorState error={answer.error} retry={() => void answer.refetch()} />;
  const citations = answer.data.citations ?? [];
  return (
    <div className="answer">
      <AnswerText markdown={answer.data.answer_markdown} />
      {citations.length > 0 ? (
        <>
          <p className="label">Cited passages</p>
          <ol className="citations">
            {citations.map((citation, index) => {
              const segmentIndex = transcript ? segmentIndexOfCitation(transcript.segments, citation) : -1;
              const segment = transcript?.segments[segmentIndex];
              const text = `${citation.speaker} at ${formatOffset(citation.start_ms)}: “${citation.quote}”`;
              return (
                <li key={index}>
                  {segment ? (
                    <Link
                      to={{ search: `?segment=${encodeURIComponent(segment.id)}` }}
                      replace
                      preventScrollReset
                    >
                      {text}
                    </Link>
                  ) : (
                    text
                  )}
                </li>
              );
            })}
          </ol>
        </>
      ) : null}
    </div>
  );
}

/** Ask a question about the job; answers come with citations that open the transcript. */
export function AskPanel({
  jobId,
  artifacts,
  transcript,
}: {
  jobId: string;
  artifacts: ArtifactView[];
  transcript: TranscriptDocument | undefined;
}) {
  const api = useApi();
  const queryClient = useQueryClient();
  const [question, setQuestion] = useState('');
  const fieldId = useId();
  const prompts = useQuery({
    queryKey: ['prompts', jobId],
    queryFn: () => api.promptsOf(jobId),
    refetchInterval: (query) => (query.state.data?.items.some((p) => p.status === 'pending') ? 1_500 : false),
    staleTime: 0,
  });
  const ask = useMutation({
    mutationFn: (text: string) => api.ask(jobId, text),
    onSuccess: () => {
      setQuestion('');
      void queryClient.invalidateQueries({ queryKey: ['prompts', jobId] });
    },
  });
  // A new answer adds prompt artifacts: list them again to find each answer's JSON.
  const knownIds = new Set(artifacts.map((a) => a.id));
  const missing = (prompts.data?.items ?? [])
    .map((p) => p.json_artifact_id)
    .filter((id): id is string => Boolean(id) && !knownIds.has(id as string))
    .join(',');
  useEffect(() => {
    if (missing) void queryClient.invalidateQueries({ queryKey: ['artifacts', jobId] });
  }, [missing, jobId, queryClient]);

  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (question.trim()) ask.mutate(question.trim());
  };

  const items = [...(prompts.data?.items ?? [])].reverse();
  return (
    <section className="panel" aria-labelledby="ask-heading">
      <h2 id="ask-heading">Questions</h2>
      <form className="form" onSubmit={submit}>
        <div className="field">
          <label htmlFor={fieldId}>Ask a question</label>
          <textarea
            id={fieldId}
            value={question}
            maxLength={4000}
            rows={2}
            onChange={(event) => setQuestion(event.target.value)}
            placeholder="What did we decide about the launch date?"
          />
        </div>
        <ActionError error={ask.error} />
        <div>
          <button type="submit" className="button primary" disabled={ask.isPending || !question.trim()}>
            Ask
          </button>
        </div>
      </form>
      {prompts.isError ? <ErrorState error={prompts.error} retry={() => void prompts.refetch()} /> : null}
      <div className="stack">
        {items.map((prompt) => (
          <article key={prompt.id} aria-label={`Question: ${prompt.prompt}`}>
            <p>
              <strong>{prompt.prompt}</strong>{' '}
              <span className="muted small">
                <StatusBadge status={prompt.status} /> <TimeText iso={prompt.created_at} />
              </span>
            </p>
            {prompt.status === 'pending' ? <Loading label="Answering" /> : null}
            {prompt.status === 'failed' ? (
              <p className="action-error" role="alert">
                {prompt.error?.message ?? 'The question could not be answered.'}
              </p>
            ) : null}
            {prompt.status === 'answered' ? (
              <Answer prompt={prompt} artifacts={artifacts} transcript={transcript} />
            ) : null}
          </article>
        ))}
      </div>
    </section>
  );
}
