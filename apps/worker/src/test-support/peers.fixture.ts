import { Controller, Inject, Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { Ctx, MessagePattern, Payload, RpcException, type MicroserviceOptions } from '@nestjs/microservices';
import { Registry } from 'prom-client';
import {
  ArtifactsRpc,
  ErrorCodes,
  JobsRpc,
  ProfilesRpc,
  type ArtifactView,
  type MarkJobCompletedRequest,
  type MarkJobFailedRequest,
  type MarkJobStartedRequest,
  type MessageEnvelope,
  type RegisterArtifactRequest,
  type ResolvedProfile,
  type ResolveProfileRequest,
} from '@scriptripper/contracts';
import { RedisStreamsContext, RedisStreamsServer, StreamsExceptionFilter } from '@scriptripper/streams';

/** One call a peer got: its pattern, payload and envelope. */
export interface PeerCall<T = unknown> {
  readonly pattern: string;
  readonly data: T;
  readonly envelope: MessageEnvelope;
}

/**
 * What the test's stand-ins for profiles, jobs and artifacts know and got. They behave as
 * the real ones promise: jobs refuses reports on a finished job (CONFLICT), artifacts keeps
 * one artifact per (job, kind).
 */
export class PeersState {
  readonly calls: PeerCall[] = [];
  readonly profiles = new Map<string, ResolvedProfile>();
  readonly finishedJobs = new Set<string>();
  readonly artifacts = new Map<string, ArtifactView>();
  /** Jobs whose next markCompleted answers a retryable error, as a worker dying before its report would see. */
  readonly failNextCompletion = new Set<string>();

  callsOf<T>(pattern: string, jobId?: string): PeerCall<T>[] {
    return this.calls.filter(
      (call): call is PeerCall<T> =>
        call.pattern === pattern &&
        (jobId === undefined || (call.data as { job_id?: string }).job_id === jobId),
    );
  }

  record(pattern: string, data: unknown, context: RedisStreamsContext): void {
    this.calls.push({ pattern, data, envelope: context.getEnvelope() });
  }
}

export const PEERS_STATE = Symbol('PEERS_STATE');

function refuse(code: string, message: string, retryable = false): never {
  throw new RpcException({ code, message, retryable });
}

@Controller()
class ProfilesPeerController {
  constructor(@Inject(PEERS_STATE) private readonly state: PeersState) {}

  @MessagePattern(ProfilesRpc.resolve)
  resolve(@Payload() data: ResolveProfileRequest, @Ctx() context: RedisStreamsContext) {
    this.state.record(ProfilesRpc.resolve, data, context);
    return (
      this.state.profiles.get(`${data.key}@${data.version}`) ??
      refuse(ErrorCodes.notFound, `no version ${data.version} of ${data.key}`)
    );
  }
}

@Controller()
class JobsPeerController {
  constructor(@Inject(PEERS_STATE) private readonly state: PeersState) {}

  @MessagePattern(JobsRpc.markStarted)
  markStarted(@Payload() data: MarkJobStartedRequest, @Ctx() context: RedisStreamsContext) {
    this.state.record(JobsRpc.markStarted, data, context);
    this.refuseFinished(data.job_id);
    return { status: 'running' };
  }

  @MessagePattern(JobsRpc.markCompleted)
  markCompleted(@Payload() data: MarkJobCompletedRequest, @Ctx() context: RedisStreamsContext) {
    this.state.record(JobsRpc.markCompleted, data, context);
    if (this.state.failNextCompletion.delete(data.job_id)) {
      refuse(ErrorCodes.unavailable, 'jobs is restarting', true);
    }
    this.refuseFinished(data.job_id);
    this.state.finishedJobs.add(data.job_id);
    return { status: 'completed' };
  }

  @MessagePattern(JobsRpc.markFailed)
  markFailed(@Payload() data: MarkJobFailedRequest, @Ctx() context: RedisStreamsContext) {
    this.state.record(JobsRpc.markFailed, data, context);
    this.refuseFinished(data.job_id);
    this.state.finishedJobs.add(data.job_id);
    return { status: 'failed' };
  }

  private refuseFinished(jobId: string): void {
    if (this.state.finishedJobs.has(jobId)) refuse(ErrorCodes.conflict, `job ${jobId} has ended`);
  }
}

@Controller()
class ArtifactsPeerController {
  constructor(@Inject(PEERS_STATE) private readonly state: PeersState) {}

  @MessagePattern(ArtifactsRpc.register)
  register(@Payload() data: RegisterArtifactRequest, @Ctx() context: RedisStreamsContext): ArtifactView {
    this.state.record(ArtifactsRpc.register, data, context);
    const key = `${data.job_id}/${data.kind}`;
    const existing = this.state.artifacts.get(key);
    if (existing) return existing;
    const artifact: ArtifactView = {
      id: `artifact-${this.state.artifacts.size + 1}`,
      job_id: data.job_id,
      kind: data.kind,
      uri: data.blob.uri,
      checksum: data.blob.sha256,
      size: data.blob.size,
      content_type: data.content_type,
      filename: data.filename,
      created_at: new Date().toISOString(),
    };
    this.state.artifacts.set(key, artifact);
    return artifact;
  }
}

export interface RunningPeers {
  readonly state: PeersState;
  close(): Promise<void>;
}

/** Starts the stand-ins, each a microservice on its own `rpc:<service>` over the real transport. */
export async function startPeers(redisUrl: string, keyPrefix: string): Promise<RunningPeers> {
  const state = new PeersState();
  const peers: [string, unknown][] = [
    ['profiles', ProfilesPeerController],
    ['jobs', JobsPeerController],
    ['artifacts', ArtifactsPeerController],
  ];
  const apps = await Promise.all(
    peers.map(async ([service, controller]) => {
      @Module({ controllers: [controller as never], providers: [{ provide: PEERS_STATE, useValue: state }] })
      class PeerModule {}
      const server = new RedisStreamsServer({
        redisUrl,
        keyPrefix,
        service,
        streams: [],
        blockMs: 200,
        metricsRegistry: new Registry(),
      });
      const app = await NestFactory.createMicroservice<MicroserviceOptions>(PeerModule, {
        strategy: server,
        logger: false,
      });
      app.useGlobalFilters(new StreamsExceptionFilter());
      await app.listen();
      return app;
    }),
  );
  return { state, close: async () => void (await Promise.all(apps.map((app) => app.close()))) };
}
