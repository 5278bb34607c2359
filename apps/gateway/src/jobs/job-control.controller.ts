import { Body, Controller, Get, HttpCode, Inject, Param, Post } from '@nestjs/common';
import { ApiAcceptedResponse, ApiBearerAuth, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { diffResults } from '@scriptripper/analysis';
import { LocalBlobStore, type BlobStore } from '@scriptripper/blob-store';
import {
  ArtifactsRpc,
  ErrorCodes,
  JobControlRpc,
  JobsRpc,
  Scopes as Scope,
  type ArtifactView,
  type JobView,
  type RelabelSpeakersResponse,
  type RelabelStatusView,
  type RerunJobResponse,
  type ResultsChanges,
} from '@scriptripper/contracts';
import { Scopes } from '../access/access.decorators';
import { Caller } from '../access/request-actor';
import { GatewayConfig } from '../config';
import { ApiError } from '../http/api-error';
import { ApiErrors } from '../http/common.dto';
import { ServiceCaller, type CallContext } from '../http/service-caller';
import {
  RelabelAcceptedDto,
  RelabelParams,
  RelabelSpeakersDto,
  RelabelStatusDto,
  RerunCreatedDto,
  RerunJobDto,
  ResultsChangesDto,
} from './job-control.dto';
import { JobIdParams } from './jobs.dto';

const conflict = (message: string) => new ApiError({ code: ErrorCodes.conflict, message, retryable: false });
const notFound = (message: string) => new ApiError({ code: ErrorCodes.notFound, message, retryable: false });

/**
 * Control over a finished job: re-run it (optionally with another version of its profile) and
 * see what changed, or rename its speakers. The changes are computed here, where the blob
 * store is, from the two jobs' results.json: nothing needs storing for a question answered
 * from what is stored already.
 */
@ApiTags('jobs')
@ApiBearerAuth()
@Controller('jobs')
export class JobControlController {
  private readonly blobs: BlobStore;

  constructor(
    private readonly services: ServiceCaller,
    @Inject(GatewayConfig) config: GatewayConfig,
  ) {
    this.blobs = new LocalBlobStore(config.BLOB_ROOT);
  }

  @Post(':id/rerun')
  @HttpCode(202)
  @Scopes(Scope.jobsWrite)
  @ApiOperation({
    summary: 'Re-run an ended job as a new job over the same transcript',
    description:
      "With `profile_version`, under another version of the job's profile. The new job's `rerun_of` " +
      'names the original; GET /jobs/{new id}/changes compares their results. A job still running answers 409.',
  })
  @ApiAcceptedResponse({ type: RerunCreatedDto })
  @ApiErrors(401, 403, 404, 409, 410)
  async rerun(
    @Param() params: JobIdParams,
    @Body() body: RerunJobDto,
    @Caller() caller: CallContext,
  ): Promise<RerunCreatedDto> {
    const created = await this.services.call<RerunJobResponse>(
      JobControlRpc.rerun,
      {
        job_id: params.id,
        ...(body?.profile_version === undefined ? {} : { profile_version: body.profile_version }),
      },
      caller,
    );
    return { job_id: created.job_id };
  }

  @Get(':id/changes')
  @Scopes(Scope.jobsRead)
  @ApiOperation({
    summary: "What changed between a re-run's results and its original's",
    description:
      'Per section of results.json: items added, removed and changed (matched by their text), and ' +
      'whether the summary changed. 404 for a job that is not a re-run; 409 until both are completed.',
  })
  @ApiOkResponse({ type: ResultsChangesDto })
  @ApiErrors(401, 403, 404, 409)
  async changes(@Param() params: JobIdParams, @Caller() caller: CallContext): Promise<ResultsChanges> {
    const rerun = await this.services.call<JobView>(JobsRpc.get, { job_id: params.id }, caller);
    if (!rerun.rerun_of) throw notFound(`job ${rerun.id} is not a re-run of another job`);
    const original = await this.services.call<JobView>(JobsRpc.get, { job_id: rerun.rerun_of }, caller);
    for (const job of [original, rerun]) {
      if (job.status !== 'completed') {
        throw conflict(`job ${job.id} is ${job.status}; changes are known once both jobs are completed`);
      }
    }
    const [before, after] = await Promise.all([
      this.resultsOf(original.id, caller),
      this.resultsOf(rerun.id, caller),
    ]);
    return {
      job_id: rerun.id,
      rerun_of: original.id,
      profile: {
        key: rerun.profile_key,
        from_version: original.profile_version,
        to_version: rerun.profile_version,
      },
      ...diffResults(before, after),
    };
  }

  @Post(':id/speakers')
  @HttpCode(202)
  @Scopes(Scope.jobsWrite)
  @ApiOperation({
    summary: "Rename a completed job's speakers",
    description:
      '`rename` maps labels to names; renaming two labels to one name merges them (their speaker ' +
      "statistics too). The worker re-renders the job's transcript.json, results.json and results.md " +
      'with the new names; the artifacts keep their ids and point at the new files.',
  })
  @ApiAcceptedResponse({ type: RelabelAcceptedDto })
  @ApiErrors(401, 403, 404, 409, 410)
  async relabel(
    @Param() params: JobIdParams,
    @Body() body: RelabelSpeakersDto,
    @Caller() caller: CallContext,
  ): Promise<RelabelAcceptedDto> {
    const accepted = await this.services.call<RelabelSpeakersResponse>(
      JobControlRpc.relabelSpeakers,
      { job_id: params.id, rename: body.rename },
      caller,
    );
    return { job_id: accepted.job_id, relabel_id: accepted.relabel_id };
  }

  @Get(':id/speakers/:relabel_id')
  @Scopes(Scope.jobsRead)
  @ApiOperation({
    summary: 'Follow a relabelling: pending, applied (the outputs are re-rendered) or failed with why',
  })
  @ApiOkResponse({ type: RelabelStatusDto })
  @ApiErrors(401, 403, 404)
  relabelStatus(@Param() params: RelabelParams, @Caller() caller: CallContext): Promise<RelabelStatusView> {
    return this.services.call<RelabelStatusView>(
      JobControlRpc.relabelStatus,
      { job_id: params.id, relabel_id: params.relabel_id },
      caller,
    );
  }

  /** A completed job's results.json, as the caller may read it (artifacts checks the owner). */
  private async resultsOf(jobId: string, caller: CallContext): Promise<unknown> {
    const artifacts = await this.services.call<ArtifactView[]>(
      ArtifactsRpc.listForJob,
      { job_id: jobId },
      caller,
    );
    const results = artifacts.find((artifact) => artifact.kind === 'results_json');
    if (!results) throw conflict(`job ${jobId} has no results.json (expired or deleted)`);
    const content = await this.blobs.get(results.uri).catch(() => {
      throw conflict(`the results.json of job ${jobId} is no longer stored`);
    });
    return JSON.parse(content.toString('utf8')) as unknown;
  }
}
