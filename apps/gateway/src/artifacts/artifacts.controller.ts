import { pipeline, Transform, type Readable, type TransformCallback } from 'node:stream';
import { Controller, Get, Inject, Param, Query, Req, Res } from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiOkResponse,
  ApiOperation,
  ApiProduces,
  ApiTags,
  ApiResponse,
} from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { ArtifactView, ResolvedDownload, SignedDownload } from '@scriptripper/contracts';
import { ArtifactsRpc, ErrorCodes, JobsRpc, Scopes as Scope, serviceActor } from '@scriptripper/contracts';
import { LocalBlobStore, type BlobRef, type BlobStore } from '@scriptripper/blob-store';
import { Public, Scopes } from '../access/access.decorators';
import { Caller, callContextOf } from '../access/request-actor';
import { GatewayConfig } from '../config';
import { ApiError } from '../http/api-error';
import { ApiErrors } from '../http/common.dto';
import { ServiceCaller, type CallContext } from '../http/service-caller';
import { ArtifactListDto, DownloadQueryDto, IdParams, SignedDownloadDto } from './artifacts.dto';

/**
 * A job's artifacts, signed download URLs for them, and the downloads themselves. The
 * download route is public on purpose: its signature is the credential, checked by the
 * artifacts service; the bytes come from the shared blob store, verified while streamed.
 */
@ApiTags('artifacts')
@Controller()
export class ArtifactsController {
  private readonly blobs: BlobStore;

  constructor(
    private readonly services: ServiceCaller,
    @Inject(GatewayConfig) config: GatewayConfig,
  ) {
    this.blobs = new LocalBlobStore(config.BLOB_ROOT);
  }

  @Get('jobs/:id/artifacts')
  @Scopes(Scope.jobsRead)
  @ApiBearerAuth()
  @ApiOperation({ summary: "A job's artifacts (transcript, results_json, results_md, ...)" })
  @ApiOkResponse({ type: ArtifactListDto })
  @ApiErrors(401, 403, 404)
  async listForJob(@Param() params: IdParams, @Caller() caller: CallContext): Promise<ArtifactListDto> {
    // Through jobs first: another user's job, or none, answers 404 even before it has artifacts.
    await this.services.call(JobsRpc.get, { job_id: params.id }, caller);
    const items = await this.services.call<ArtifactView[]>(
      ArtifactsRpc.listForJob,
      { job_id: params.id },
      caller,
    );
    return { items, next_cursor: null };
  }

  @Get('artifacts/:id')
  @Scopes(Scope.jobsRead)
  @ApiBearerAuth()
  @ApiOperation({
    summary: 'A short-lived signed download URL for an artifact',
    description: 'The URL is relative to the API host and works without credentials until `expires_at`.',
  })
  @ApiOkResponse({ type: SignedDownloadDto })
  @ApiErrors(401, 403, 404)
  sign(@Param() params: IdParams, @Caller() caller: CallContext) {
    return this.services.call<SignedDownload>(ArtifactsRpc.sign, { artifact_id: params.id }, caller);
  }

  @Get('downloads/:id')
  @Public()
  @ApiOperation({
    summary: "An artifact's content, through a signed URL from GET /artifacts/{id}",
    description:
      'No bearer token: the signature is the credential. A tampered or expired URL answers 403. ' +
      'The content is checked against its sha256 while it is sent: a corrupted blob breaks the ' +
      'connection before the last bytes, so a complete body is always the recorded content.',
  })
  @ApiProduces('application/octet-stream')
  @ApiResponse({ status: 200, description: 'The content, with its type, length and file name' })
  @ApiErrors(403, 404)
  async download(
    @Param() params: IdParams,
    @Query() query: DownloadQueryDto,
    @Req() request: FastifyRequest,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    // Anonymous callers cannot ask artifacts anything; the gateway asks as itself, the link decides.
    const caller: CallContext = { ...callContextOf(request), actor: serviceActor('gateway') };
    const resolved = await this.services.call<ResolvedDownload>(
      ArtifactsRpc.resolveDownload,
      { artifact_id: params.id, exp: query.exp, kid: query.kid, sig: query.sig },
      caller,
    );
    const content = await this.openVerified(resolved.blob);
    await reply
      .status(200)
      .headers({
        'content-type': resolved.content_type,
        'content-length': String(resolved.blob.size),
        'content-disposition': attachmentOf(resolved.filename),
        'x-content-type-options': 'nosniff',
        'cache-control': 'private, no-store',
      })
      .send(content);
  }

  private async openVerified(blob: BlobRef): Promise<Readable> {
    const stored = await this.blobs.stat(blob.sha256);
    if (!stored) {
      throw new ApiError({ code: ErrorCodes.notFound, message: 'the content is gone', retryable: false });
    }
    if (stored.size !== blob.size) {
      throw new ApiError({ code: ErrorCodes.internal, message: 'stored content differs', retryable: false });
    }
    return pipeline(await this.blobs.openReadStream(blob.sha256), new WithholdLastChunk(), () => undefined);
  }
}

/**
 * Holds each chunk back until the next arrives and the last until the source ended: the store
 * fails its stream on a checksum mismatch only at the end, and by then the client must not
 * have every byte, or a corrupted download would look complete.
 */
class WithholdLastChunk extends Transform {
  private held: Buffer | null = null;

  override _transform(chunk: Buffer, _encoding: BufferEncoding, callback: TransformCallback): void {
    if (this.held) this.push(this.held);
    this.held = chunk;
    callback();
  }

  override _flush(callback: TransformCallback): void {
    if (this.held) this.push(this.held);
    callback();
  }
}

/** RFC 6266: an ASCII fallback name and the exact UTF-8 name (RFC 5987). */
function attachmentOf(filename: string): string {
  const fallback = filename.replace(/[^\x20-\x7e]|["\\%]/g, '_');
  const exact = encodeURIComponent(filename).replace(
    /['()*]/g,
    (char) => `%${char.charCodeAt(0).toString(16).toUpperCase()}`,
  );
  return `attachment; filename="${fallback}"; filename*=UTF-8''${exact}`;
}
