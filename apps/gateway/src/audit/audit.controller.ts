import { Controller, Get, Inject, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { AuditEntry, AuditQuery, Page } from '@scriptripper/contracts';
import type { HashChainReport } from '@scriptripper/event-store';
import { auditRpc, Scopes as Scope } from '@scriptripper/contracts';
import { Roles, Scopes } from '../access/access.decorators';
import { Caller } from '../access/request-actor';
import { GatewayConfig } from '../config';
import { ApiErrors } from '../http/common.dto';
import { ServiceCaller, type CallContext } from '../http/service-caller';
import { decodeAuditCursor, encodeAuditCursor, mergeAuditPages, startPosition } from './audit-merge';
import { AuditPageDto, AuditQueryDto, AuditVerificationDto, type ServiceChainsDto } from './audit.dto';

/** The audit trail of every data service (their event tables), merged by time: Admins only. */
@ApiTags('audit')
@ApiBearerAuth()
@Roles('admin')
@Scopes(Scope.auditRead)
@Controller('audit')
export class AuditController {
  constructor(
    private readonly services: ServiceCaller,
    @Inject(GatewayConfig) private readonly config: GatewayConfig,
  ) {}

  @Get()
  @ApiOperation({
    summary: 'List audit entries of all services, oldest first',
    description: 'Filters by actor, event type, time range and correlation id; cursor-paginated.',
  })
  @ApiOkResponse({ type: AuditPageDto })
  @ApiErrors(401, 403)
  async list(@Query() query: AuditQueryDto, @Caller() caller: CallContext): Promise<Page<AuditEntry>> {
    const serviceNames = this.config.AUDIT_SERVICES;
    const position = query.cursor
      ? decodeAuditCursor(query.cursor, serviceNames)
      : startPosition(serviceNames);
    const limit = query.limit ?? 50;
    const filters = filtersOf(query);
    const pages = Object.fromEntries(
      await Promise.all(
        Object.entries(position).map(
          async ([service, at]) =>
            [
              service,
              await this.services.call<Page<AuditEntry>>(
                auditRpc(service).list,
                { ...filters, ...(at.cursor ? { cursor: at.cursor } : {}), limit },
                caller,
              ),
            ] as const,
        ),
      ),
    );
    const { items, next } = mergeAuditPages(position, pages, limit);
    return { items, next_cursor: next ? encodeAuditCursor(next) : null };
  }

  @Get('verify')
  @ApiOperation({
    summary: "Verify every service's event hash chains",
    description:
      'Each data service walks its event table and recomputes every link; the answer lists each ' +
      "service's outcome (the first broken link, or why it could not verify). `npm run audit:verify` " +
      'does the same from a shell.',
  })
  @ApiOkResponse({ type: AuditVerificationDto })
  @ApiErrors(401, 403)
  async verify(@Caller() caller: CallContext): Promise<AuditVerificationDto> {
    const services = await Promise.all(
      this.config.AUDIT_SERVICES.map(async (service): Promise<ServiceChainsDto> => {
        try {
          return chainsOf(
            service,
            await this.services.call<HashChainReport>(auditRpc(service).verify, {}, caller),
          );
        } catch (error) {
          return { service, ok: false, error: error instanceof Error ? error.message : String(error) };
        }
      }),
    );
    return { ok: services.every((service) => service.ok), services };
  }
}

function chainsOf(service: string, report: HashChainReport): ServiceChainsDto {
  if (report.ok) return { service, ok: true, streams: report.streams, events: report.events };
  const broken = report.firstBroken;
  return {
    service,
    ok: false,
    first_broken: {
      stream_id: broken.streamId,
      stream_version: broken.streamVersion,
      global_position: broken.globalPosition,
      expected_hash: broken.expectedHash,
      actual_hash: broken.actualHash,
    },
  };
}

function filtersOf(query: AuditQueryDto): AuditQuery {
  const { actor_id, type, correlation_id, from, to } = query;
  return Object.fromEntries(
    Object.entries({ actor_id, type, correlation_id, from, to }).filter(([, value]) => value !== undefined),
  );
}
