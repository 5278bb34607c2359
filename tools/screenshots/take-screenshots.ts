/**
 * Screenshots of the console's main pages, desktop (1280 px) and phone (375 px), into
 * docs/screenshots/ for the README. Against a running platform (`npm start`):
 *
 *   node tools/build/build.mjs && node dist/tools/screenshots/take-screenshots.js
 *
 * It seeds what the pages show through the API with the dev admin token
 * (.data/dev-credentials.json): a job, a question about it and a batch; then signs in as that
 * admin through the console with the magic link from the dev mail sink (.data/mail), as a
 * person would, and walks the pages. CONSOLE_URL overrides where the console is served (the
 * gateway by default). Debian's Chromium at /usr/bin/chromium (CHROMIUM to override).
 */
import { mkdir, readdir, readFile, stat } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { chromium, type Page } from 'playwright-core';

const root = resolve(__dirname, '../../..');
const outDir = join(root, 'docs/screenshots');
const mailDir = join(root, '.data/mail');
const WIDTHS = { desktop: { width: 1280, height: 860 }, mobile: { width: 375, height: 760 } } as const;

interface Credentials {
  gateway: string;
  adminToken: string;
}

async function api<T>(credentials: Credentials, path: string, init: RequestInit = {}): Promise<T> {
  const response = await fetch(`${credentials.gateway}/api/v1${path}`, {
    ...init,
    headers: { Authorization: `Bearer ${credentials.adminToken}`, ...(init.headers ?? {}) },
  });
  if (!response.ok)
    throw new Error(`${init.method ?? 'GET'} ${path}: ${response.status} ${await response.text()}`);
  return (await response.json()) as T;
}

async function upload(
  credentials: Credentials,
  path: string,
  files: string[],
): Promise<Record<string, unknown>> {
  const form = new FormData();
  form.set('profile', 'meeting');
  for (const file of files)
    form.append('file', new Blob([await readFile(join(root, file))]), file.split('/').pop());
  return api(credentials, path, { method: 'POST', body: form });
}

async function waitFor<T>(what: string, check: () => Promise<T | undefined>): Promise<T> {
  for (let attempt = 0; attempt < 300; attempt++) {
    const value = await check();
    if (value !== undefined) return value;
    await new Promise((done) => setTimeout(done, 200));
  }
  throw new Error(`gave up waiting for ${what}`);
}

/** The token of the newest sign-in mail written after `since`. */
async function newestSignInToken(since: number): Promise<string | undefined> {
  const names = (await readdir(mailDir)).filter((name) => name.endsWith('.txt'));
  const files = await Promise.all(
    names.map(async (name) => ({
      path: join(mailDir, name),
      time: (await stat(join(mailDir, name))).mtimeMs,
    })),
  );
  for (const file of files.filter((f) => f.time >= since).sort((a, b) => b.time - a.time)) {
    const token = /[?&]token=([A-Za-z0-9_.%-]+)/.exec(await readFile(file.path, 'utf8'));
    if (token) return token[1];
  }
  return undefined;
}

/** In-app navigation, as a click on a link would do (the session stays in memory). */
async function go(page: Page, path: string, ready: () => Promise<unknown>): Promise<void> {
  // A string: the tools are type-checked without the DOM's types.
  await page.evaluate(
    `window.history.pushState(null, '', ${JSON.stringify(path)}); window.dispatchEvent(new PopStateEvent('popstate'))`,
  );
  await ready();
  await page.waitForLoadState('networkidle');
}

async function main(): Promise<void> {
  const credentials = JSON.parse(
    await readFile(join(root, '.data/dev-credentials.json'), 'utf8'),
  ) as Credentials;
  const consoleUrl = process.env['CONSOLE_URL'] ?? credentials.gateway;
  const admin = await api<{ email: string }>(credentials, '/me');

  const job = (await upload(credentials, '/jobs', ['docs/examples/meeting.vtt'])) as { job_id: string };
  const batch = (await upload(credentials, '/jobs/batch', [
    'docs/examples/meeting.vtt',
    'libs/analysis/src/fixtures/review.srt',
    'libs/analysis/src/fixtures/standup.txt',
  ])) as { batch_id: string };
  await waitFor('the job to complete', async () => {
    const view = await api<{ status: string }>(credentials, `/jobs/${job.job_id}`);
    return view.status === 'completed' ? view : undefined;
  });
  await api(credentials, '/prompts', {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ job_id: job.job_id, prompt: 'What did we decide about the launch?' }),
  });

  await mkdir(outDir, { recursive: true });
  const browser = await chromium.launch({
    executablePath: process.env['CHROMIUM'] ?? '/usr/bin/chromium',
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
  try {
    const page = await browser.newPage({ viewport: WIDTHS.desktop });
    await page.goto(`${consoleUrl}/sign-in`);
    await page.getByLabel('Email').fill(admin.email);
    await page.screenshot({ path: join(outDir, 'sign-in-desktop.png') });
    const since = Date.now() - 1_000;
    await page.getByRole('button', { name: 'Send sign-in link' }).click();
    await page.getByText('We sent a sign-in link').waitFor();
    const token = await waitFor('the sign-in mail', () => newestSignInToken(since));
    await page.goto(`${consoleUrl}/sign-in/verify?token=${token}`);
    await page.getByRole('heading', { name: 'Jobs' }).waitFor();

    const shots: { name: string; path: string; ready: () => Promise<unknown> }[] = [
      {
        name: 'jobs',
        path: '/jobs',
        ready: () => page.getByRole('link', { name: 'review.srt' }).first().waitFor(),
      },
      { name: 'new-analysis', path: '/jobs/new', ready: () => page.getByLabel('Profile version').waitFor() },
      {
        name: 'job',
        path: `/jobs/${job.job_id}`,
        ready: async () => {
          await page.locator('.answer').first().waitFor();
          await page
            .getByRole('link', { name: /^Evidence at / })
            .first()
            .click();
          await page.locator('.segment.highlighted').waitFor();
          // The results beside the highlighted segment, under the header and the tools.
          await page.evaluate(`document.querySelector('.job-layout')?.scrollIntoView({ block: 'start' })`);
        },
      },
      {
        name: 'batch',
        path: `/batches/${batch.batch_id}`,
        ready: () => page.getByRole('heading', { name: 'Transcripts' }).waitFor(),
      },
      {
        name: 'profile',
        path: '/profiles/meeting',
        ready: () => page.getByRole('heading', { name: 'Versions' }).waitFor(),
      },
      {
        name: 'settings',
        path: '/settings',
        ready: () => page.getByRole('heading', { name: 'API tokens' }).waitFor(),
      },
      {
        name: 'admin',
        path: '/admin',
        ready: () => page.getByRole('heading', { name: 'Audit log' }).waitFor(),
      },
    ];
    for (const [size, viewport] of Object.entries(WIDTHS)) {
      await page.setViewportSize(viewport);
      for (const shot of shots) {
        await go(page, shot.path, shot.ready);
        await page.screenshot({ path: join(outDir, `${shot.name}-${size}.png`) });
        console.log(`docs/screenshots/${shot.name}-${size}.png`);
      }
    }
  } finally {
    await browser.close();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
