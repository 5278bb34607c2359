import { Controller, Delete, Get, HttpCode, Inject, Res } from '@nestjs/common';
import {
  ApiAcceptedResponse,
  ApiBearerAuth,
  ApiOkResponse,
  ApiOperation,
  ApiProduces,
  ApiTags,
} from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import type { UserView } from '@scriptripper/contracts';
import { AuthRpc, Scopes as Scope } from '@scriptripper/contracts';
import { LocalBlobStore, type BlobStore } from '@scriptripper/blob-store';
import { Scopes } from '../access/access.decorators';
import { Caller } from '../access/request-actor';
import { UserViewDto } from '../auth/auth.dto';
import { GatewayConfig } from '../config';
import { AcceptedDto, ApiErrors } from '../http/common.dto';
import { ServiceCaller, type CallContext } from '../http/service-caller';
import { UserDataExport } from './user-data-export';
import { ZipStreamWriter } from './zip-stream-writer';

/** The signed-in user: who the auth service says the actor is, all of their data, and purging all of it. */
@ApiTags('me')
@ApiBearerAuth()
@Controller('me')
export class MeController {
  private readonly blobs: BlobStore;

  constructor(
    private readonly services: ServiceCaller,
    @Inject(GatewayConfig) config: GatewayConfig,
  ) {
    this.blobs = new LocalBlobStore(config.BLOB_ROOT);
  }

  @Get()
  @Scopes(Scope.jobsRead)
  @ApiOperation({ summary: 'The signed-in user' })
  @ApiOkResponse({ type: UserViewDto })
  @ApiErrors(401, 404)
  me(@Caller() caller: CallContext) {
    return this.services.call<UserView>(AuthRpc.me, {}, caller);
  }

  @Get('export')
  @Scopes(Scope.accountAdmin)
  @ApiOperation({
    summary: "All of the signed-in user's data as one ZIP",
    description:
      'Streamed as it is gathered: `account.json`, `batches.json`, `webhooks.json`, per job ' +
      '`jobs/<id>/job.json`, `jobs/<id>/prompts.json` and the content of every kept artifact (the ' +
      'uploaded transcript included) as `jobs/<id>/<kind>/<filename>`, and last `manifest.json` with ' +
      'the sha256 and size of every file. Expired artifacts are not included. A failure after the ' +
      'first bytes cuts the ZIP short (it never ends with a central directory), so a complete ZIP is ' +
      'always a whole export.',
  })
  @ApiProduces('application/zip')
  @ApiOkResponse({ description: 'The ZIP' })
  @ApiErrors(401, 403, 404)
  async export(@Caller() caller: CallContext, @Res() reply: FastifyReply): Promise<void> {
    // Refusals (a purged account, auth down) come before the first byte, as JSON errors.
    const account = await this.services.call<UserView>(AuthRpc.me, {}, caller);
    const exportedAt = new Date();
    const zip = new ZipStreamWriter(exportedAt);
    const filename = `scriptripper-export-${exportedAt.toISOString().slice(0, 10)}.zip`;
    void reply
      .status(200)
      .headers({
        'content-type': 'application/zip',
        'content-disposition': `attachment; filename="${filename}"`,
        'x-content-type-options': 'nosniff',
        'cache-control': 'private, no-store',
      })
      .send(zip.output);
    await new UserDataExport(this.services, this.blobs, caller, zip, exportedAt)
      .write(account)
      .catch((error: unknown) => zip.fail(error instanceof Error ? error : new Error(String(error))));
  }

  @Delete()
  @Scopes(Scope.accountAdmin)
  @HttpCode(202)
  @ApiOperation({
    summary: "Purge the signed-in user: every service destroys the user's key and read models",
    description:
      'The auth service records the purge at once; other services shred their data, and delete ' +
      "the user's jobs, artifacts and blobs, as they see it. The user's access tokens answer 401 " +
      'from then on.',
  })
  @ApiAcceptedResponse({ type: AcceptedDto })
  @ApiErrors(401, 404)
  async purge(@Caller() caller: CallContext): Promise<AcceptedDto> {
    // Auth records the purge and marks the user in Redis, so every access token of theirs answers 401.
    await this.services.call(AuthRpc.purgeMe, {}, caller);
    return { accepted: true };
  }
}
