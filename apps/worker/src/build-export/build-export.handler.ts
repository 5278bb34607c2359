import { Inject, Injectable, Logger } from '@nestjs/common';
import { renderTranscriptMarkdown, renderTranscriptWebVtt, type Transcript } from '@scriptripper/analysis';
import {
  BlobIntegrityError,
  BlobNotFoundError,
  InvalidBlobIdError,
  type BlobStore,
} from '@scriptripper/blob-store';
import {
  ExportsRpc,
  serviceActor,
  type BlobReference,
  type BuildExportWork,
  type CompleteExportRequest,
  type ErrorBody,
  type ExportJobSource,
  type FailExportRequest,
  type MessageEnvelope,
} from '@scriptripper/contracts';
import { StreamTransportError, type MessageContext } from '@scriptripper/streams';
import { PeerClient } from '../peers/peer-client';
import { buildExportBundle, type ExportJobFile, type ExportJobFiles } from './export-bundle';

export const EXPORT_BLOB_STORE = Symbol('EXPORT_BLOB_STORE');
export const EXPORT_BUILD_FAILED = 'EXPORT_BUILD_FAILED';

/** How a BuildExport message ended; in every case it is acked. */
export type BuildExportOutcome = 'completed' | 'failed' | 'refused';

/** An export that cannot be built however often it is tried. */
class ExportFailure extends Error {}

/**
 * Runs one `BuildExport` work message: reads each job's stored outputs, renders the
 * normalised transcript as Markdown and WebVTT, builds the ZIP and the JSON document, stores
 * both and completes the export with artifacts. A transcript no longer stored (expired) is
 * left out and the job's results exported alone. Every step may run again and change nothing:
 * the bundle is byte-identical, blobs are content-addressed and artifacts one per (export, kind).
 * It throws only what a retry may fix; a lost or corrupted results blob fails the export.
 */
@Injectable()
export class BuildExportHandler {
  private readonly log = new Logger(BuildExportHandler.name);

  constructor(
    @Inject(PeerClient) private readonly peers: PeerClient,
    @Inject(EXPORT_BLOB_STORE) private readonly blobs: BlobStore,
  ) {}

  async handle(work: BuildExportWork, envelope: MessageEnvelope): Promise<BuildExportOutcome> {
    const context: MessageContext = {
      actor: serviceActor('worker'),
      correlationId: envelope.correlationId,
      causationId: envelope.id,
      traceparent: envelope.traceparent,
    };
    let completion: CompleteExportRequest;
    try {
      completion = await this.build(work);
    } catch (error) {
      const failure = permanentFailureOf(error);
      if (!failure) throw error;
      this.log.warn(`export ${work.export_id} failed: ${failure.message}`);
      const request: FailExportRequest = { export_id: work.export_id, error: failure };
      return (await this.send(ExportsRpc.fail, request, context)) ? 'failed' : 'refused';
    }
    return (await this.send(ExportsRpc.complete, completion, context)) ? 'completed' : 'refused';
  }

  private async build(work: BuildExportWork): Promise<CompleteExportRequest> {
    const jobs: ExportJobFiles[] = [];
    for (const job of work.jobs) jobs.push({ jobId: job.job_id, files: await this.filesOf(job) });
    const bundle = buildExportBundle({ type: work.subject_type, id: work.subject_id }, jobs);
    const name = `scriptripper-${work.subject_type}-${work.subject_id}`;
    const zip = await this.blobs.put(bundle.zip);
    const json = await this.blobs.put(bundle.json);
    return {
      export_id: work.export_id,
      outputs: [
        { kind: 'export_zip', blob: refOf(zip), content_type: 'application/zip', filename: `${name}.zip` },
        {
          kind: 'export_json',
          blob: refOf(json),
          content_type: 'application/json',
          filename: `${name}.json`,
        },
      ],
    };
  }

  /** results.md, results.json, then transcript.md and transcript.vtt when the transcript is still stored. */
  private async filesOf(job: ExportJobSource): Promise<ExportJobFile[]> {
    if (!job.results_json) throw new ExportFailure(`job ${job.job_id} has no results to export`);
    const files: ExportJobFile[] = [];
    if (job.results_md) {
      files.push({
        name: 'results.md',
        contentType: 'text/markdown',
        content: await this.read(job.results_md, job.job_id),
      });
    }
    files.push({
      name: 'results.json',
      contentType: 'application/json',
      content: await this.read(job.results_json, job.job_id),
    });
    const transcript = await this.transcriptOf(job);
    if (transcript) {
      files.push(
        {
          name: 'transcript.md',
          contentType: 'text/markdown',
          content: Buffer.from(renderTranscriptMarkdown(transcript), 'utf8'),
        },
        {
          name: 'transcript.vtt',
          contentType: 'text/vtt',
          content: Buffer.from(renderTranscriptWebVtt(transcript), 'utf8'),
        },
      );
    }
    return files;
  }

  /** The normalised transcript, or null once it expired (its blob deleted by retention). */
  private async transcriptOf(job: ExportJobSource): Promise<Transcript | null> {
    if (!job.transcript || !(await this.blobs.has(job.transcript.uri))) return null;
    const content = await this.read(job.transcript, job.job_id);
    try {
      return JSON.parse(content.toString('utf8')) as Transcript;
    } catch {
      throw new ExportFailure(`the stored transcript of job ${job.job_id} is not JSON`);
    }
  }

  private async read(blob: BlobReference, jobId: string): Promise<Buffer> {
    try {
      return await this.blobs.get(blob.uri);
    } catch (error) {
      if (error instanceof BlobNotFoundError || error instanceof InvalidBlobIdError) {
        throw new ExportFailure(`an output of job ${jobId} is no longer stored`);
      }
      if (error instanceof BlobIntegrityError) {
        throw new ExportFailure(`an output of job ${jobId} does not match its checksum`);
      }
      throw error;
    }
  }

  /** False when artifacts refuses for good (the export ended already): nothing left to do. */
  private async send(pattern: string, request: unknown, context: MessageContext): Promise<boolean> {
    try {
      await this.peers.call(pattern, request, context);
      return true;
    } catch (error) {
      if (!(error instanceof StreamTransportError) || error.retryable) throw error;
      this.log.log(`artifacts refused ${pattern}: ${error.message}`);
      return false;
    }
  }
}

function permanentFailureOf(error: unknown): ErrorBody | undefined {
  if (error instanceof ExportFailure) {
    return { code: EXPORT_BUILD_FAILED, message: error.message, retryable: false };
  }
  return undefined;
}

function refOf(blob: BlobReference): BlobReference {
  return { uri: blob.uri, sha256: blob.sha256, size: blob.size };
}
