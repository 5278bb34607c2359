import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { gzipSync } from 'node:zlib';
import { AxeBuilder } from '@axe-core/playwright';
import { unzipSync } from 'fflate';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { startIdentityStack, type IdentityStack } from '../test-support/identity-stack';
import { magicLinkFor, mailsTo } from '../test-support/mailbox';

/**
 * The web console in a real browser (Debian's Chromium) against every service as its own
 * process, the gateway serving the console's build as `npm start` does: a person signs in with
 * the link from the mail sink and does every flow of the API from the pages alone. axe-core
 * checks each page visited; the load and 10,000-segment figures are printed, never asserted.
 */

const MEETING_VTT = `WEBVTT

00:00:01.000 --> 00:00:06.000
<v Ana>Welcome everyone. Today we need to settle the launch date for the mobile app.

00:00:06.500 --> 00:00:12.000
<v Bob>I looked at the numbers. We decided to launch on the fifteenth of March.

00:00:12.500 --> 00:00:18.000
<v Ana>Great. Bob, please send the release notes to the marketing team by Friday.

00:00:18.500 --> 00:00:24.000
<v Carla>I'll update the pricing page before the launch. Should we also translate it?

00:00:24.500 --> 00:00:30.000
<v Bob>Maybe we could translate it later. The launch matters more than anything else right now.
`;

const REVIEW_SRT = `1
00:00:01,000 --> 00:00:05,000
Dana: The review starts with the checkout bug.

2
00:00:05,500 --> 00:00:11,000
Eli: We agreed to ship the fix on Monday and Dana will write the test.
`;

/** An hour of meeting in 10,000 segments (0.36 s each), as WebVTT. */
function hourOfSegments(): string {
  const words = 'we should ship the beta next week and review the pricing page before the launch'.split(' ');
  const stamp = (ms: number) =>
    `${String(Math.floor(ms / 3_600_000)).padStart(2, '0')}:${String(Math.floor(ms / 60_000) % 60).padStart(2, '0')}:` +
    `${String(Math.floor(ms / 1000) % 60).padStart(2, '0')}.${String(ms % 1000).padStart(3, '0')}`;
  const cues = ['WEBVTT', ''];
  for (let index = 0; index < 10_000; index++) {
    const text = Array.from(
      { length: 4 + (index % 23) },
      (_, w) => words[(index + w * 7) % words.length],
    ).join(' ');
    cues.push(
      `${stamp(index * 360)} --> ${stamp(index * 360 + 350)}`,
      `<v ${['Ana', 'Bob', 'Carla', 'Dev'][index % 4]}>${text}`,
      '',
    );
  }
  return cues.join('\n');
}

const file = (name: string, text: string) => ({ name, mimeType: 'text/plain', buffer: Buffer.from(text) });

describe('the web console in Chromium', () => {
  let stack: IdentityStack;
  let browser: Browser;
  const adminEmail = 'admin@console.test';
  /** Errors the pages logged (a refused request's own "Failed to load resource" line aside). */
  const pageErrors: string[] = [];

  async function newPage(): Promise<{ context: BrowserContext; page: Page }> {
    const context = await browser.newContext({
      viewport: { width: 1280, height: 900 },
      acceptDownloads: true,
    });
    const page = await context.newPage();
    page.on('pageerror', (error) => pageErrors.push(`${page.url()}: ${String(error)}`));
    page.on('console', (message) => {
      // The first load asks for a session with no cookie yet (401): expected, and logged by Chromium.
      if (message.type() === 'error' && !message.text().startsWith('Failed to load resource')) {
        pageErrors.push(`${page.url()}: ${message.text()}`);
      }
    });
    return { context, page };
  }

  /** Signs in from the page the person is on, with the newest link the sink received for them. */
  async function signIn(page: Page, email: string): Promise<void> {
    const before = (await mailsTo(stack.mailFolder, email)).length;
    await page.getByRole('heading', { name: 'Sign in' }).waitFor();
    await page.getByLabel('Email').fill(email);
    await page.getByRole('button', { name: 'Send sign-in link' }).click();
    await page.getByText('We sent a sign-in link').waitFor();
    const link = await magicLinkFor(stack.mailFolder, email, before + 1);
    expect(link.pathname).toBe('/sign-in/verify');
    await page.goto(link.toString());
  }

  async function expectAccessible(page: Page, what: string): Promise<void> {
    const result = await new AxeBuilder({ page }).analyze();
    const serious = result.violations
      .filter((violation) => violation.impact === 'serious' || violation.impact === 'critical')
      .map(
        (violation) =>
          `${what}: ${violation.id} at ${violation.nodes.map((n) => n.target.join(' ')).join(', ')}`,
      );
    expect(serious).toEqual([]);
  }

  beforeAll(async () => {
    stack = await startIdentityStack('web_console_e2e', { adminEmail, withWorker: true });
    browser = await chromium.launch({
      executablePath: '/usr/bin/chromium',
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
  }, 180_000);

  afterAll(async () => {
    await browser?.close();
    await stack?.stop();
  });

  let anasJobPath = '';

  it('a person signs in by mail, analyses a file and a batch that complete live, and uses every result flow', async () => {
    const { context, page } = await newPage();
    await page.goto(`${stack.gatewayUrl}/jobs`);
    await signIn(page, 'ana@console.test');
    await page.getByRole('heading', { name: 'Jobs' }).waitFor();
    // The one event stream of all of this person's jobs is open (GET /jobs/events).
    await page.locator('.live-dot.live-live').waitFor();
    await expectAccessible(page, 'jobs (empty)');

    // One file: a job, followed live to completed on its page.
    await page.getByRole('button', { name: 'New analysis' }).click();
    await page.getByLabel('Transcript files').setInputFiles(file('planning.vtt', MEETING_VTT));
    await page.getByLabel('Profile', { exact: true }).selectOption('meeting');
    await expectAccessible(page, 'new analysis');
    await page.getByRole('button', { name: 'Start analysis' }).click();
    await page.getByRole('heading', { name: 'planning.vtt' }).waitFor();
    anasJobPath = new URL(page.url()).pathname;
    await page.locator('.facts .status', { hasText: 'completed' }).waitFor({ timeout: 60_000 });
    for (const heading of [
      'Summary',
      'Decisions',
      'Tasks',
      'Highlights',
      'Quotables',
      'Topics',
      'Speakers',
    ]) {
      await page.getByRole('heading', { name: heading, level: 2, exact: true }).waitFor();
    }
    await expectAccessible(page, 'job');

    // A reload keeps the session (the refresh cookie) and the page.
    await page.reload();
    await page.getByRole('heading', { name: 'Summary', level: 2 }).waitFor();

    // Evidence opens the transcript at its segment, highlighted.
    const evidence = page
      .locator('#section-decisions ~ ul')
      .getByRole('link', { name: /^Evidence at / })
      .first();
    const quote = ((await evidence.getAttribute('title')) ?? '').replace(/^“|”$/g, '');
    await evidence.click();
    const highlighted = page.locator('.segment.highlighted');
    await highlighted.waitFor();
    expect(await highlighted.textContent()).toContain(quote);

    // A question, answered with citations that open the transcript.
    await page.getByLabel('Ask a question').fill('What did we decide about the launch?');
    await page.getByRole('button', { name: 'Ask', exact: true }).click();
    await page.locator('.answer').first().waitFor({ timeout: 60_000 });
    const citation = page.locator('.citations a').first();
    const cited = (await citation.textContent()) ?? '';
    await citation.click();
    expect(cited).toContain(
      (await page.locator('.segment.highlighted .segment-text').textContent()) ?? '\u0000',
    );

    // Renaming a speaker re-renders the transcript under the new name.
    await page.getByLabel('New name for Ana').fill('Ana Lima');
    await page.getByRole('button', { name: 'Rename speakers' }).click();
    await page.getByText('Speakers renamed.').waitFor({ timeout: 60_000 });
    await page.locator('.segment-speaker', { hasText: 'Ana Lima' }).first().waitFor();

    // Downloads: Markdown, and the export ZIP whose manifest lists every file with its checksum.
    const [markdown] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('link', { name: 'Download Markdown' }).click(),
    ]);
    expect((await readFile((await markdown.path()) ?? '', 'utf8')).startsWith('#')).toBe(true);
    await page.getByRole('button', { name: 'Export ZIP' }).click();
    const zipLink = page.getByRole('link', { name: 'Download ZIP' });
    await zipLink.waitFor({ timeout: 60_000 });
    const [zipDownload] = await Promise.all([page.waitForEvent('download'), zipLink.click()]);
    const entries = unzipSync(new Uint8Array(await readFile((await zipDownload.path()) ?? '')));
    const manifest = JSON.parse(
      Buffer.from(entries['manifest.json'] ?? new Uint8Array()).toString('utf8'),
    ) as {
      files: { path: string; sha256: string; size: number }[];
    };
    expect(manifest.files.map((entry) => entry.path).sort()).toEqual(
      Object.keys(entries)
        .filter((name) => name !== 'manifest.json')
        .sort(),
    );
    for (const entry of manifest.files) {
      const bytes = entries[entry.path] ?? new Uint8Array();
      expect(createHash('sha256').update(bytes).digest('hex')).toBe(entry.sha256);
    }

    // A re-run under the other version, and its changes side by side.
    await page.getByLabel('Re-run with version').selectOption({ label: 'v1' });
    await page.getByRole('button', { name: 'Re-run' }).click();
    await page.waitForURL((url) => url.pathname !== anasJobPath);
    await page.getByRole('heading', { name: 'Changes from the original' }).waitFor();
    await page
      .getByText(/meeting v2 → v1\. The summary (changed|is the same)\./)
      .waitFor({ timeout: 60_000 });

    // Several files: a batch, whose items complete.
    await page.getByRole('link', { name: 'New analysis' }).click();
    await page
      .getByLabel('Transcript files')
      .setInputFiles([file('standup.vtt', MEETING_VTT), file('review.srt', REVIEW_SRT)]);
    await page.getByRole('button', { name: 'Start analysis' }).click();
    await page.getByRole('heading', { name: /^Batch / }).waitFor();
    await page.locator('.facts .status', { hasText: 'completed' }).waitFor({ timeout: 60_000 });
    expect(await page.locator('tbody .status').allTextContents()).toEqual(['completed', 'completed']);
    await expectAccessible(page, 'batch');

    // An API token: the secret shown once works, and stops working once revoked.
    await page.getByRole('link', { name: 'Settings' }).click();
    await page.getByLabel('Token name').fill('e2e script');
    await page.getByRole('button', { name: 'Create token' }).click();
    const secret = (await page.locator('.secret code').textContent()) ?? '';
    expect(secret).toMatch(/^srt_/);
    const me = () =>
      fetch(`${stack.gatewayUrl}/api/v1/me`, { headers: { Authorization: `Bearer ${secret}` } }).then(
        (r) => r.status,
      );
    expect(await me()).toBe(200);
    await expectAccessible(page, 'settings');
    await page.getByRole('button', { name: 'Revoke e2e script' }).click();
    await page.getByText('revoked').first().waitFor();
    for (let tries = 0; (await me()) !== 401; tries++) {
      if (tries > 100) throw new Error('the revoked token still works');
      await page.waitForTimeout(200);
    }

    // Signing out ends the session: a reload stays signed out.
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.getByRole('heading', { name: 'Sign in' }).waitFor();
    await page.reload();
    await page.getByRole('heading', { name: 'Sign in' }).waitFor();
    await context.close();
    expect(pageErrors).toEqual([]);
  }, 600_000);

  it("a second person opening the first one's job by its URL signs in, comes back to it and is refused", async () => {
    const { context, page } = await newPage();
    await page.goto(`${stack.gatewayUrl}${anasJobPath}`);
    await signIn(page, 'bob@console.test');
    await page.waitForURL((url) => url.pathname === anasJobPath);
    expect(await page.getByRole('alert').textContent()).toMatch(/no job/i);
    expect(await page.getByRole('heading', { name: 'Summary' }).count()).toBe(0);
    await context.close();
  }, 120_000);

  it('an admin reads the audit log and filters it by event type', async () => {
    const { context, page } = await newPage();
    await page.goto(`${stack.gatewayUrl}/admin`);
    await signIn(page, adminEmail);
    await page.getByRole('heading', { name: 'Audit log' }).waitFor();
    const firstType = (await page.locator('td[data-label="Event"]').first().textContent()) ?? '';
    expect(firstType).not.toBe('');
    await page.getByLabel('Event type').fill(firstType);
    await page.getByRole('button', { name: 'Apply filters' }).click();
    await page.waitForFunction(
      `[...document.querySelectorAll('td[data-label="Event"]')].every((cell) => cell.textContent === ${JSON.stringify(firstType)})`,
    );
    const types = await page.locator('td[data-label="Event"]').allTextContents();
    expect(types.length).toBeGreaterThan(0);
    expect(new Set(types)).toEqual(new Set([firstType]));
    await expectAccessible(page, 'admin');
    await context.close();
    expect(pageErrors).toEqual([]);
  }, 120_000);

  it('measures the first load and a 10,000-segment transcript (figures printed, not asserted)', async () => {
    const { context, page } = await newPage();
    await page.goto(`${stack.gatewayUrl}/jobs/new`);
    await page.getByRole('heading', { name: 'Sign in' }).waitFor();
    const scripts = (await page.evaluate(
      `performance.getEntriesByType('resource').filter((e) => e.name.endsWith('.js')).map((e) => e.name)`,
    )) as string[];
    let gzipped = 0;
    for (const url of scripts)
      gzipped += gzipSync(Buffer.from(await (await fetch(url)).arrayBuffer())).length;

    await signIn(page, 'carla@console.test');
    await page.getByLabel('Transcript files').setInputFiles(file('hour.vtt', hourOfSegments()));
    await page.getByRole('button', { name: 'Start analysis' }).click();
    await page.getByRole('heading', { name: 'hour.vtt' }).waitFor();
    const jobPath = new URL(page.url()).pathname;
    await page.getByRole('list', { name: 'Transcript segments' }).waitFor({ timeout: 180_000 });

    // Opened again from the list: navigation to the transcript on screen.
    await page.getByRole('link', { name: 'Jobs', exact: true }).click();
    await page.getByRole('heading', { name: 'Jobs' }).waitFor();
    await page.evaluate(`performance.clearMarks(); performance.mark('open-job')`);
    await page.getByRole('link', { name: 'hour.vtt' }).click();
    await page.waitForFunction(`performance.getEntriesByName('scriptripper:transcript-rendered').length > 0`);
    expect(new URL(page.url()).pathname).toBe(jobPath);
    const openMs = (await page.evaluate(
      `performance.getEntriesByName('scriptripper:transcript-rendered')[0].startTime - performance.getEntriesByName('open-job')[0].startTime`,
    )) as number;
    const scroll = (await page.evaluate(`(async () => {
      const viewport = document.querySelector('[aria-label="Transcript segments"]');
      const frames = [];
      let rows = 0;
      let last = performance.now();
      for (let step = 1; step <= 200; step++) {
        viewport.scrollTop = (viewport.scrollHeight * step) / 200;
        viewport.dispatchEvent(new Event('scroll'));
        await new Promise((done) => requestAnimationFrame(() => done()));
        const now = performance.now();
        frames.push(now - last);
        last = now;
        rows = Math.max(rows, viewport.querySelectorAll('[role="listitem"]').length);
      }
      frames.sort((a, b) => a - b);
      return { median: frames[100], max: frames[199], rows };
    })()`)) as { median: number; max: number; rows: number };
    // The point of the window: a handful of rows in the DOM, not 10,000.
    expect(scroll.rows).toBeLessThan(100);
    console.log(
      [
        `first load (a signed-out visit: the sign-in page): ${scripts.length} scripts, ${(gzipped / 1024).toFixed(1)} KB gzipped`,
        `10,000-segment transcript: on screen ${openMs.toFixed(0)} ms after opening the job from the list (transcript cached)`,
        `scrolling it end to end in 200 steps: median frame ${scroll.median.toFixed(1)} ms, longest ${scroll.max.toFixed(1)} ms, at most ${scroll.rows} rows in the DOM`,
      ].join('\n'),
    );
    await context.close();
  }, 300_000);
});
