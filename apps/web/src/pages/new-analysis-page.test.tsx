import { screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { perFileProgress } from '../api/upload';
import { validateUpload } from '../lib/upload-validation';
import { createTestServices, jsonResponse, renderWithServices } from '../test/test-services';
import { NewAnalysisPage } from './new-analysis-page';

const profiles = {
  items: [
    {
      id: 'p1',
      key: 'meeting',
      name: 'Meeting',
      description: 'Decisions and tasks of a meeting',
      default_version: 2,
    },
    { id: 'p2', key: 'talk', name: 'Talk', description: 'Highlights of a talk', default_version: 1 },
  ],
  next_cursor: null,
};
const meeting = {
  ...profiles.items[0],
  versions: [
    { version: 1, status: 'deprecated', created_at: '2026-01-01T00:00:00Z' },
    { version: 2, status: 'active', created_at: '2026-01-02T00:00:00Z' },
    { version: 3, status: 'draft', created_at: '2026-01-03T00:00:00Z' },
  ],
};

/** Records what the page sends and answers as the test says; no network. */
class FakeXhr {
  static sent: { url: string; form: FormData; headers: Record<string, string> }[] = [];
  static answer: { status: number; body: unknown } = { status: 202, body: { job_id: 'j-new' } };
  upload: {
    onprogress: ((event: { lengthComputable: boolean; loaded: number; total: number }) => void) | null;
  } = {
    onprogress: null,
  };
  onload: (() => void) | null = null;
  onerror: (() => void) | null = null;
  status = 0;
  statusText = '';
  responseText = '';
  responseType = '';
  private url = '';
  private headers: Record<string, string> = {};
  open(_method: string, url: string) {
    this.url = url;
  }
  setRequestHeader(name: string, value: string) {
    this.headers[name] = value;
  }
  send(form: FormData) {
    FakeXhr.sent.push({ url: this.url, form, headers: this.headers });
    queueMicrotask(() => {
      this.upload.onprogress?.({ lengthComputable: true, loaded: 50, total: 100 });
      this.status = FakeXhr.answer.status;
      this.responseText = JSON.stringify(FakeXhr.answer.body);
      this.onload?.();
    });
  }
}

const original = globalThis.XMLHttpRequest;
beforeEach(() => {
  FakeXhr.sent = [];
  globalThis.XMLHttpRequest = FakeXhr as unknown as typeof XMLHttpRequest;
});
afterEach(() => {
  globalThis.XMLHttpRequest = original;
});

async function renderPage() {
  const { services } = await createTestServices(({ url }) => {
    if (url.endsWith('/profiles?limit=100')) return jsonResponse(200, profiles);
    if (url.endsWith('/profiles/meeting')) return jsonResponse(200, meeting);
    return undefined;
  });
  return renderWithServices(services, <NewAnalysisPage />, {
    path: '/jobs/new',
    route: '/jobs/new',
    extraRoutes: [
      { path: '/jobs/:id', element: <p>job page</p> },
      { path: '/batches/:id', element: <p>batch page</p> },
    ],
  });
}

const file = (name: string, text: string) => new File([text], name, { type: 'text/plain' });

describe('New analysis', () => {
  it('asks for a file before uploading anything', async () => {
    const user = userEvent.setup();
    await renderPage();
    await screen.findByRole('option', { name: 'Meeting' });
    await user.click(screen.getByRole('button', { name: 'Start analysis' }));
    expect(await screen.findByText('Choose at least one transcript file.')).toBeTruthy();
    expect(screen.getByLabelText('Transcript files').getAttribute('aria-invalid')).toBe('true');
    expect(FakeXhr.sent).toHaveLength(0);
  });

  it('refuses an empty file at the field', async () => {
    const user = userEvent.setup();
    await renderPage();
    await screen.findByRole('option', { name: 'Meeting' });
    await user.upload(screen.getByLabelText('Transcript files'), file('empty.vtt', ''));
    await user.click(screen.getByRole('button', { name: 'Start analysis' }));
    expect(await screen.findByText('empty.vtt is empty.')).toBeTruthy();
    expect(FakeXhr.sent).toHaveLength(0);
  });

  it('offers the versions that are not deprecated, with the profile description', async () => {
    await renderPage();
    await screen.findByRole('option', { name: 'Default (v2)' });
    const versions = screen.getByLabelText('Profile version');
    expect([...versions.querySelectorAll('option')].map((o) => o.textContent)).toEqual([
      'Default (v2)',
      'v2',
      'v3 (draft)',
    ]);
    expect(screen.getByText('Decisions and tasks of a meeting')).toBeTruthy();
  });

  it('sends one file to POST /jobs with the chosen version and date, then opens the job', async () => {
    const user = userEvent.setup();
    FakeXhr.answer = { status: 202, body: { job_id: 'j-new' } };
    await renderPage();
    await screen.findByRole('option', { name: 'v2' });
    await user.upload(screen.getByLabelText('Transcript files'), file('standup.vtt', 'WEBVTT\n\n'));
    await user.selectOptions(screen.getByLabelText('Profile version'), '2');
    await user.type(screen.getByLabelText('Meeting date (optional)'), '2026-11-27');
    await user.click(screen.getByRole('button', { name: 'Start analysis' }));

    expect(await screen.findByText('job page')).toBeTruthy();
    const sent = FakeXhr.sent[0];
    expect(sent?.url).toBe('/api/v1/jobs');
    expect(sent?.headers['Authorization']).toBe('Bearer t');
    expect(sent?.form.get('profile')).toBe('meeting');
    expect(sent?.form.get('profile_version')).toBe('2');
    expect(sent?.form.get('meeting_date')).toBe('2026-11-27');
    expect((sent?.form.getAll('file') as File[]).map((f) => f.name)).toEqual(['standup.vtt']);
  });

  it('sends several files as one batch and shows the API refusal in its own words', async () => {
    const user = userEvent.setup();
    FakeXhr.answer = {
      status: 413,
      body: {
        error: { code: 'PAYLOAD_TOO_LARGE', message: 'the batch is larger than 50 MiB', retryable: false },
      },
    };
    await renderPage();
    await screen.findByRole('option', { name: 'Meeting' });
    await user.upload(screen.getByLabelText('Transcript files'), [
      file('a.vtt', 'WEBVTT'),
      file('b.srt', '1'),
    ]);
    await user.click(screen.getByRole('button', { name: 'Start analysis' }));

    expect((await screen.findByRole('alert')).textContent).toBe('the batch is larger than 50 MiB');
    expect(FakeXhr.sent[0]?.url).toBe('/api/v1/jobs/batch');
    expect(FakeXhr.sent[0]?.form.getAll('file')).toHaveLength(2);
    await waitFor(() =>
      expect(screen.getByRole('button', { name: 'Start analysis' })).toHaveProperty('disabled', false),
    );
  });
});

describe('validateUpload', () => {
  it('checks count, size, profile and date', () => {
    expect(validateUpload({ files: [{ name: 'a', size: 1 }], profile: 'meeting', meetingDate: '' })).toEqual(
      {},
    );
    expect(
      validateUpload({
        files: [{ name: 'big.vtt', size: 21 * 1024 * 1024 }],
        profile: '',
        meetingDate: '27/11/2026',
      }),
    ).toEqual({
      files: 'big.vtt is larger than 20 MB, the upload limit.',
      profile: 'Choose a profile.',
      meetingDate: 'Use the form YYYY-MM-DD.',
    });
    const many = Array.from({ length: 101 }, (_, i) => ({ name: `${i}`, size: 1 }));
    expect(validateUpload({ files: many, profile: 'meeting', meetingDate: '' }).files).toBe(
      'At most 100 files at once; you chose 101.',
    );
  });
});

describe('perFileProgress', () => {
  it('fills the files in the order they are sent', () => {
    expect(perFileProgress([100, 100], { loaded: 150, total: 200 })).toEqual([1, 0.5]);
    expect(perFileProgress([100, 100], { loaded: 0, total: 200 })).toEqual([0, 0]);
    expect(perFileProgress([100, 100], { loaded: 220, total: 220 })).toEqual([1, 1]);
  });
});
