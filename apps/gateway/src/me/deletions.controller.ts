import { Controller, Delete, HttpCode, Param } from '@nestjs/common';
import { ApiBearerAuth, ApiNoContentResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { LifecycleRpc, Scopes as Scope } from '@scriptripper/contracts';
import { Scopes } from '../access/access.decorators';
import { Caller } from '../access/request-actor';
import { ApiErrors } from '../http/common.dto';
import { ServiceCaller, type CallContext } from '../http/service-caller';
import { JobIdParams } from '../jobs/jobs.dto';

/**
 * Deleting a job or a batch: its read models and blobs go (artifacts deletes them when it sees
 * JobDeleted), its events stay. Another user's job or batch answers 404, as one that never was.
 */
@ApiTags('jobs')
@ApiBearerAuth()
@Controller()
export class DeletionsController {
  constructor(private readonly services: ServiceCaller) {}

  @Delete('jobs/:id')
  @HttpCode(204)
  @Scopes(Scope.jobsWrite)
  @ApiOperation({
    summary: 'Delete a job, its outputs and its uploaded transcript',
    description:
      'A job still queued or running is cancelled first. Afterwards the job answers 404 everywhere ' +
      'and its download URLs stop working; its files are deleted from storage unless another job ' +
      'holds the same content.',
  })
  @ApiNoContentResponse({ description: 'Deleted' })
  @ApiErrors(401, 403, 404)
  async deleteJob(@Param() params: JobIdParams, @Caller() caller: CallContext): Promise<void> {
    await this.services.call(LifecycleRpc.deleteJob, { job_id: params.id }, caller);
  }

  @Delete('batches/:id')
  @HttpCode(204)
  @Scopes(Scope.jobsWrite)
  @ApiOperation({
    summary: 'Delete a batch and every job of it',
    description: 'Each job is deleted as by DELETE /jobs/{id}; then the batch answers 404.',
  })
  @ApiNoContentResponse({ description: 'Deleted' })
  @ApiErrors(401, 403, 404)
  async deleteBatch(@Param() params: JobIdParams, @Caller() caller: CallContext): Promise<void> {
    await this.services.call(LifecycleRpc.deleteBatch, { batch_id: params.id }, caller);
  }
}
