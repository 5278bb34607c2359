import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createTestServices, jsonResponse, renderWithServices } from '../test/test-services';
import { JobPage } from './job-page';

const segments = Array.from({ length: 10_000 }, (_, i) => ({
  id: `s${i + 1}`,
  startMs: i * 1_000,
  endMs: i * 1_000 + 900,
  speakerId: i % 2 ? 'spk2' : 'spk1',
  speakerLabel: i % 2 ? 'Bob' : 'Ana',
  text: i === 4_999 ? 'We ship the beta on Friday.' : `Line ${i + 1} of the meeting.`,
  sourceOffset: null,
}));

const transcript = {
  format: 'webvtt',
  segments,
  speakers: [
    { id: 'spk1', label: 'Ana' },
    { id: 'spk2', label: 'Bob' },
  ],
  durationMs: 10_000_000,
  flags: [],
};

const evidence = {
  segment_id: 's5000',
  start_ms: 4_999_000,
  end_ms: 4_999_900,
  speaker: 'Bob',
  quote: 'ship the beta',
};
const results = {
  analyzer: 'meeting',
  summary: [{ text: 'The team planned the beta.', evidence: [] }],
  decisions: [{ text: 'Ship the beta on Friday', evidence: [evidence] }],
  tasks: [
    {
      text: 'Write release notes',
      evidence: [],
      owner: { name: 'Ana', resolved: true },
      due: { phrase: 'Friday', date: '2026-12-04' },
    },
  ],
  highlights: [],
  quotables: [],
  topics: [],
  speaker_statistics: [
    {
      speaker: 'Ana',
      talk_time_ms: 600_000,
      share: 0.6,
      turns: 5000,
      words: 60_000,
      words_per_minute: 150,
      questions: 3,
    },
    {
      speaker: 'Bob',
      talk_time_ms: 400_000,
      share: 0.4,
      turns: 5000,
      words: 40_000,
      words_per_minute: 140,
      questions: 1,
    },
  ],
};

const job = {
  id: 'j1',
  user_id: 'u1',
  profile_id: 'p1',
  profile_key: 'meeting',
  profile_version: 1,
  status: 'completed',
  input_uri: 'blob://sha256/x',
  format: 'webvtt',
  filename: 'planning.vtt',
  meeting_date: '2026-11-27',
  attempts: 1,
  metrics: { duration_ms: 1200, words: 100_000, segments: 10_000, speakers: 2, tokens: null },
  cost: 0,
  provider: 'offline',
  error: null,
  created_at: '2026-11-27T10:00:00Z',
  updated_at: '2026-11-27T10:01:00Z',
  completed_at: '2026-11-27T10:01:00Z',
};

const artifact = (id: string, kind: string, filename: string) => ({
  id,
  job_id: 'j1',
  kind,
  uri: 'blob://sha256/x',
  checksum: `sum-${id}`,
  size: 10,
  content_type: 'application/json',
  filename,
  created_at: '2026-11-27T10:01:00Z',
});

beforeEach(() => {
  // The signed download URLs are fetched without the session, as a browser follows a link.
  vi.stubGlobal('fetch', async (url: string) => {
    if (url.startsWith('/api/v1/downloads/a-results')) return jsonResponse(200, results);
    if (url.startsWith('/api/v1/downloads/a-transcript')) return jsonResponse(200, transcript);
    return jsonResponse(404, { error: { code: 'NOT_FOUND', message: 'no such download', retryable: false } });
  });
});
afterEach(() => vi.unstubAllGlobals());

async function renderJob(jobAnswer = () => jsonResponse(200, job)) {
  const { services } = await createTestServices(({ url }) => {
    if (url === '/api/v1/jobs/j1') return jobAnswer();
    if (url === '/api/v1/jobs/j1/artifacts')
      return jsonResponse(200, {
        items: [
          artifact('a-transcript', 'transcript', 'transcript.json'),
          artifact('a-results', 'results_json', 'results.json'),
          artifact('a-md', 'results_md', 'results.md'),
        ],
        next_cursor: null,
      });
    const signed = /\/api\/v1\/artifacts\/([\w-]+)$/.exec(url);
    if (signed)
      return jsonResponse(200, {
        url: `/api/v1/downloads/${signed[1]}?sig=1`,
        expires_at: '2999-01-01T00:00:00Z',
      });
    if (url.startsWith('/api/v1/jobs/j1/prompts')) return jsonResponse(200, { items: [], next_cursor: null });
    if (url === '/api/v1/profiles/meeting')
      return jsonResponse(200, {
        key: 'meeting',
        default_version: 1,
        versions: [{ version: 1, status: 'active' }],
      });
    return undefined;
  });
  return renderWithServices(services, <JobPage />, { path: '/jobs/:jobId', route: '/jobs/j1' });
}

describe('Job page', () => {
  it('renders every section of results.json, tasks with owner and due date, and speaker charts with values', async () => {
    await renderJob();
    for (const heading of [
      'Summary',
      'Highlights',
      'Decisions',
      'Tasks',
      'Quotables',
      'Topics',
      'Speakers',
    ]) {
      // Waits as long as a loaded machine needs to fetch and render the 10,000-segment fixture.
      expect(
        await screen.findByRole('heading', { name: heading, level: 2 }, { timeout: 10_000 }),
      ).toBeTruthy();
    }
    expect(screen.getByText('The team planned the beta.')).toBeTruthy();
    expect(screen.getByText('Owner: Ana')).toBeTruthy();
    expect(screen.getAllByText(/^Due: /)[0]?.textContent).toMatch(/Dec 4, 2026|2026/);
    expect(
      screen.getByRole('img', { name: /^Talk time\. Ana: 10 min \(60%\); Bob: 7 min \(40%\)$/ }),
    ).toBeTruthy();
    expect(screen.getByRole('link', { name: 'Download Markdown' }).getAttribute('href')).toBe(
      '/api/v1/downloads/a-md?sig=1',
    );
    expect(screen.getByRole('link', { name: 'Download JSON' })).toBeTruthy();
  });

  it('opens the transcript at the evidence segment, highlighted and focused, rendering only a window of 10,000 segments', async () => {
    const user = userEvent.setup();
    await renderJob();
    const transcriptList = await screen.findByRole(
      'list',
      { name: 'Transcript segments' },
      { timeout: 10_000 },
    );
    expect(within(transcriptList).getAllByRole('listitem').length).toBeLessThan(60);
    expect(document.querySelector('[data-segment-id="s5000"]')).toBeNull();

    await user.click(screen.getByRole('link', { name: 'Evidence at 1:23:19 (Bob)' }));

    await waitFor(() => {
      const segment = document.querySelector('[data-segment-id="s5000"]');
      expect(segment?.classList.contains('highlighted')).toBe(true);
      expect(document.activeElement).toBe(segment);
    });
    expect(document.querySelectorAll('.segment.highlighted')).toHaveLength(1);
    expect(within(transcriptList).getAllByRole('listitem').length).toBeLessThan(60);
  });

  it('finds words in the transcript and steps through the matches', async () => {
    const user = userEvent.setup();
    await renderJob();
    await screen.findByRole('list', { name: 'Transcript segments' }, { timeout: 10_000 });
    await user.type(screen.getByLabelText('Find in transcript'), 'beta on friday');
    expect(await screen.findByText('1 of 1')).toBeTruthy();
    const segment = document.querySelector('[data-segment-id="s5000"]');
    expect(segment?.querySelector('mark')?.textContent).toBe('beta on Friday');
  });

  it("shows the API's refusal for a job that is not the viewer's", async () => {
    await renderJob(() =>
      jsonResponse(404, { error: { code: 'NOT_FOUND', message: 'job j1 not found', retryable: false } }),
    );
    expect((await screen.findByRole('alert')).textContent).toContain('job j1 not found');
  });
});
