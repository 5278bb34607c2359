import { resolve } from 'node:path';
import type { Command } from 'commander';
import { positiveInteger } from '../cli-numbers';
import type { CommandContext } from '../command-context';
import { ExitCode } from '../exit-codes';
import { downloadArtifacts } from '../files/download';
import { verifyExportJson, verifyExportZip, type ManifestReport } from '../files/export-manifest';
import { waitFor } from '../wait';
import type { CommandRunner } from './command-runner';

interface ExportOptions {
  readonly out: string;
  readonly timeout: number;
}

export function registerExportCommand(program: Command, run: CommandRunner): void {
  program
    .command('export')
    .summary('Export a job or a batch and check it against its manifest')
    .description(
      "Export a job or a batch (ZIP and JSON with a manifest) into --out; checks every file's sha256, " +
        'and every file inside the ZIP against its manifest.json. Exits 6 on any difference.',
    )
    .argument('<job-or-batch-id>')
    .requiredOption('--out <dir>', 'folder for the export files (created when missing)')
    .option(
      '--timeout <seconds>',
      'give up waiting after this long (0: never)',
      positiveInteger('--timeout', 0),
      600,
    )
    .action(run<ExportOptions>(exportSubject));
}

async function exportSubject(
  context: CommandContext,
  options: ExportOptions,
  [subjectId]: string[],
): Promise<number> {
  const api = await context.api();
  const { output } = context;
  const { export_id: exportId } = await api.requestExport(subjectId ?? '');
  if (!context.options.quiet) output.note(`export ${exportId}: building`);
  const view = await waitFor(
    `export ${exportId}`,
    async () => {
      const current = await api.export(exportId);
      return current.status === 'pending' ? undefined : current;
    },
    context.waitOptions(options.timeout),
  );
  if (view.status === 'failed') {
    output.result({ export: view, files: [] }, () =>
      output.line(
        `export ${exportId} failed${view.error ? `: ${view.error.code}: ${view.error.message}` : ''}`,
      ),
    );
    return ExitCode.jobFailed;
  }
  const outDir = resolve(context.io.cwd, options.out);
  const files = await downloadArtifacts(api, view.artifacts, outDir);
  const manifests: { path: string; report: ManifestReport }[] = [];
  for (const file of files) {
    if (!file.verified) continue;
    if (file.kind === 'export_zip')
      manifests.push({ path: file.path, report: await verifyExportZip(file.path) });
    if (file.kind === 'export_json')
      manifests.push({ path: file.path, report: await verifyExportJson(file.path) });
  }
  const mismatched = files.filter((file) => !file.verified);
  const badManifests = manifests.filter((manifest) => !manifest.report.verified);
  const verified = mismatched.length === 0 && badManifests.length === 0;
  output.result(
    {
      export_id: exportId,
      subject_type: view.subject_type,
      subject_id: view.subject_id,
      out_dir: outDir,
      verified,
      files,
      manifests,
    },
    () => {
      output.table(
        ['FILE', 'KIND', 'BYTES', 'SHA256'],
        files.map((file) => [
          file.path,
          file.kind,
          String(file.size),
          file.verified ? 'verified' : 'MISMATCH, not kept',
        ]),
      );
      for (const { path, report } of manifests) {
        const problems = report.files.filter((file) => !file.verified);
        if (report.verified) output.line(`${path}: ${report.files.length} file(s) match its manifest`);
        else if (report.problem) output.line(`${path}: ${report.problem}`);
        for (const problem of problems)
          output.line(`${path}: ${problem.path}: ${problem.problem ?? 'differs'}`);
      }
    },
  );
  return verified ? ExitCode.ok : ExitCode.checksumMismatch;
}
