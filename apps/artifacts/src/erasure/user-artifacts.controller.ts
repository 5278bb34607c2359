import { Controller, Inject } from '@nestjs/common';
import { Ctx, MessagePattern, Payload } from '@nestjs/microservices';
import { EntityManager } from '@mikro-orm/postgresql';
import { LifecycleRpc, type ArtifactView, type Page, type PageRequest } from '@scriptripper/contracts';
import { decodeCursor, encodeCursor, pageLimit } from '@scriptripper/service-runtime';
import type { RedisStreamsContext } from '@scriptripper/streams';
import { Artifact } from '../artifact/artifact.entity';
import { answer, requireReader } from '../shared/rpc-context';

/** `artifacts.list-for-user`: every kept artifact of the caller (uploads included), oldest first, for `GET /me/export`. */
@Controller()
export class UserArtifactsController {
  constructor(@Inject(EntityManager) private readonly em: EntityManager) {}

  @MessagePattern(LifecycleRpc.listUserArtifacts)
  list(@Payload() data: PageRequest, @Ctx() ctx: RedisStreamsContext) {
    return answer(async (): Promise<Page<ArtifactView>> => {
      const owner = requireReader(ctx.getEnvelope().actor);
      const limit = pageLimit(data ?? {});
      const after = decodeCursor(data?.cursor, 2) as [string, string] | null;
      const where: Record<string, unknown> = { userId: owner.id, expiredAt: null };
      if (after) {
        where['$or'] = [
          { createdAt: { $gt: new Date(after[0]) } },
          { createdAt: new Date(after[0]), id: { $gt: after[1] } },
        ];
      }
      const found = await this.em.fork().find(Artifact, where, {
        orderBy: { createdAt: 'asc', id: 'asc' },
        limit: limit + 1,
      });
      const items = found.slice(0, limit);
      const last = items.at(-1);
      return {
        items: items.map((artifact) => ({
          id: artifact.id,
          job_id: artifact.jobId,
          kind: artifact.kind,
          uri: artifact.uri,
          checksum: artifact.checksum,
          size: artifact.size,
          content_type: artifact.contentType,
          filename: artifact.filename,
          created_at: artifact.createdAt.toISOString(),
        })),
        next_cursor:
          found.length > limit && last ? encodeCursor([last.createdAt.toISOString(), last.id]) : null,
      };
    });
  }
}
