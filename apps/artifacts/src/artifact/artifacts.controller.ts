import { Controller, Inject } from '@nestjs/common';
import { Ctx, MessagePattern, Payload } from '@nestjs/microservices';
import {
  ARTIFACT_KINDS,
  ARTIFACTS_REVISE,
  ArtifactsRpc,
  blobReferenceOf,
  invalid,
  type ArtifactKind,
  type GetArtifactRequest,
  type ListJobArtifactsRequest,
  type RegisterArtifactRequest,
  type ResolveDownloadRequest,
} from '@scriptripper/contracts';
import type { RedisStreamsContext } from '@scriptripper/streams';
import {
  answer,
  appendContextOf,
  requireGateway,
  requireReader,
  requireReaderOrWorker,
  requireWorker,
  uuidOf,
} from '../shared/rpc-context';
import { ArtifactService } from './artifact.service';

const PROMPT_KIND = /^prompt:[A-Za-z0-9_-]{1,64}$/;
const CONTENT_TYPE = /^[a-z]+\/[a-z0-9.+-]+(; ?charset=[a-z0-9-]+)?$/i;
// Path separators, quotes and control characters have no place in a suggested file name.
const UNSAFE_FILENAME = /[/\\"\p{Cc}]/u;

/**
 * `rpc:artifacts`. The worker registers; owners (and admins) read and sign; the gateway
 * resolves signed downloads. Payloads are checked here, whatever the caller checked before.
 */
@Controller()
export class ArtifactsController {
  constructor(@Inject(ArtifactService) private readonly artifacts: ArtifactService) {}

  @MessagePattern(ArtifactsRpc.register)
  register(@Payload() data: RegisterArtifactRequest, @Ctx() ctx: RedisStreamsContext) {
    const envelope = ctx.getEnvelope();
    return answer(() => {
      requireWorker(envelope.actor);
      return this.artifacts.register(registrationOf(data), appendContextOf(envelope));
    });
  }

  /** The worker replaces an output's content (relabelled speakers); the artifact keeps its id. */
  @MessagePattern(ARTIFACTS_REVISE)
  revise(@Payload() data: RegisterArtifactRequest, @Ctx() ctx: RedisStreamsContext) {
    const envelope = ctx.getEnvelope();
    return answer(() => {
      requireWorker(envelope.actor);
      return this.artifacts.revise(registrationOf(data), appendContextOf(envelope));
    });
  }

  @MessagePattern(ArtifactsRpc.listForJob)
  listForJob(@Payload() data: ListJobArtifactsRequest, @Ctx() ctx: RedisStreamsContext) {
    return answer(() => {
      const actor = requireReaderOrWorker(ctx.getEnvelope().actor);
      return this.artifacts.listForJob(uuidOf(data?.job_id, 'job_id'), actor);
    });
  }

  @MessagePattern(ArtifactsRpc.get)
  get(@Payload() data: GetArtifactRequest, @Ctx() ctx: RedisStreamsContext) {
    return answer(() => {
      const actor = requireReader(ctx.getEnvelope().actor);
      return this.artifacts.get(uuidOf(data?.artifact_id, 'artifact_id'), actor);
    });
  }

  @MessagePattern(ArtifactsRpc.sign)
  sign(@Payload() data: GetArtifactRequest, @Ctx() ctx: RedisStreamsContext) {
    return answer(() => {
      const actor = requireReader(ctx.getEnvelope().actor);
      return this.artifacts.sign(uuidOf(data?.artifact_id, 'artifact_id'), actor);
    });
  }

  @MessagePattern(ArtifactsRpc.resolveDownload)
  resolveDownload(@Payload() data: ResolveDownloadRequest, @Ctx() ctx: RedisStreamsContext) {
    return answer(() => {
      requireGateway(ctx.getEnvelope().actor);
      return this.artifacts.resolveDownload({
        artifact_id: uuidOf(data?.artifact_id, 'artifact_id'),
        exp: String(data?.exp ?? ''),
        kid: String(data?.kid ?? ''),
        sig: String(data?.sig ?? ''),
      });
    });
  }
}

function registrationOf(data: RegisterArtifactRequest | undefined): RegisterArtifactRequest {
  return {
    job_id: uuidOf(data?.job_id, 'job_id'),
    user_id: uuidOf(data?.user_id, 'user_id'),
    kind: kindOf(data?.kind),
    blob: blobReferenceOf(data?.blob, 'blob'),
    content_type: contentTypeOf(data?.content_type),
    filename: filenameOf(data?.filename),
  };
}

function kindOf(value: unknown): ArtifactKind {
  const known = (ARTIFACT_KINDS as readonly unknown[]).includes(value);
  if (known || (typeof value === 'string' && PROMPT_KIND.test(value))) return value as ArtifactKind;
  throw invalid(`kind must be one of ${ARTIFACT_KINDS.join(', ')} or prompt:<id>`);
}

function contentTypeOf(value: unknown): string {
  if (typeof value !== 'string' || value.length > 200 || !CONTENT_TYPE.test(value)) {
    throw invalid('content_type must be a media type such as text/markdown');
  }
  return value;
}

function filenameOf(value: unknown): string {
  if (typeof value !== 'string' || value.trim() === '' || value.length > 255 || UNSAFE_FILENAME.test(value)) {
    throw invalid('filename must be 1-255 characters without path separators, quotes or control characters');
  }
  return value;
}
