import { Controller, Get, HttpCode, Param, Post, Req } from '@nestjs/common';
import {
  ApiAcceptedResponse,
  ApiBearerAuth,
  ApiHeader,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
} from '@nestjs/swagger';
import type { FastifyRequest } from 'fastify';
import type {
  ExportSubject,
  ExportView,
  RequestExportRequest,
  RequestExportResponse,
} from '@scriptripper/contracts';
import { BatchesRpc, ExportsRpc, Scopes as Scope } from '@scriptripper/contracts';
import { Scopes } from '../access/access.decorators';
import { Caller } from '../access/request-actor';
import { ApiErrors } from '../http/common.dto';
import { ServiceCaller, type CallContext } from '../http/service-caller';
import { idempotencyKeyOf } from '../jobs/job-submission';
import { CreatedExportDto, ExportIdParams, ExportViewDto } from './exports.dto';

/**
 * Exports of a job or a batch: jobs says what the export covers (a completed job, or a batch's
 * completed jobs; another user's id answers 404), artifacts records it and the worker builds it.
 */
@ApiTags('exports')
@ApiBearerAuth()
@Controller('exports')
export class ExportsController {
  constructor(private readonly services: ServiceCaller) {}

  @Post(':id')
  @HttpCode(202)
  @Scopes(Scope.jobsWrite)
  @ApiOperation({
    summary: 'Export a job or a batch as a ZIP and a JSON document, each with a checksum manifest',
    description:
      'The id is a job id (the job must be completed, else 409) or a batch id (its completed jobs; ' +
      '409 while none is; 410 once the results of a job expired). Follow GET /exports/{export_id}. ' +
      'The ZIP holds results.md, results.json, transcript.md, transcript.vtt (results only once the transcript expired) and manifest.json ' +
      "with every file's sha256 and size; a batch has one folder per job. The same job gives " +
      'byte-identical bundles.',
  })
  @ApiHeader({
    name: 'Idempotency-Key',
    required: false,
    description:
      '1 to 255 printable ASCII characters, kept per user: the same key again answers the same export',
  })
  @ApiAcceptedResponse({ type: CreatedExportDto })
  @ApiErrors(401, 403, 404, 409, 410)
  async create(
    @Param() params: ExportIdParams,
    @Req() http: FastifyRequest,
    @Caller() caller: CallContext,
  ): Promise<CreatedExportDto> {
    const idempotencyKey = idempotencyKeyOf(http);
    const subject = await this.services.call<ExportSubject>(
      BatchesRpc.exportSubject,
      { id: params.id },
      caller,
    );
    const request: RequestExportRequest = {
      subject_type: subject.subject_type,
      subject_id: subject.subject_id,
      job_ids: subject.job_ids,
      ...(idempotencyKey === undefined ? {} : { idempotency_key: idempotencyKey }),
    };
    const created = await this.services.call<RequestExportResponse>(ExportsRpc.request, request, caller);
    return { export_id: created.export_id };
  }

  @Get(':id')
  @Scopes(Scope.jobsRead)
  @ApiOperation({
    summary: 'An export: its status (pending, completed, failed) and, once completed, its artifacts',
  })
  @ApiOkResponse({ type: ExportViewDto })
  @ApiErrors(401, 403, 404)
  get(@Param() params: ExportIdParams, @Caller() caller: CallContext) {
    return this.services.call<ExportView>(ExportsRpc.get, { export_id: params.id }, caller);
  }
}
