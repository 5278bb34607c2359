import { Inject, Injectable } from '@nestjs/common';
import { EntityManager } from '@mikro-orm/postgresql';
import {
  Scopes,
  USER_ROLES,
  type Actor,
  type ChangeRoleRequest,
  type Page,
  type PageRequest,
  type UserView,
} from '@scriptripper/contracts';
import type { AppendContext } from '@scriptripper/event-store';
import { forbidden, invalid, notFound, unauthorized } from '@scriptripper/contracts';
import { decodeCursor, encodeCursor, pageLimit } from '@scriptripper/service-runtime';
import { User } from './user.entity';
import { UserRepository } from './user.repository';
import { userViewOf } from './user.views';

/** `me`, `purge me`, and the admin's user listing and role changes. */
@Injectable()
export class UserAdminService {
  constructor(
    @Inject(EntityManager) private readonly em: EntityManager,
    @Inject(UserRepository) private readonly users: UserRepository,
  ) {}

  async me(actor: Actor): Promise<UserView> {
    return userViewOf(await this.signedInUser(actor));
  }

  /** Appends UserPurged: the read models go, the data key is destroyed, other services are told. */
  async purge(actor: Actor, context: AppendContext): Promise<{ purged: true }> {
    if (!actor.scopes.includes(Scopes.accountAdmin)) throw forbidden('this needs the account:admin scope');
    await this.users.execute(actor.id, context, () => ({ type: 'Purge', userId: actor.id }));
    return { purged: true };
  }

  async list(actor: Actor, request: PageRequest): Promise<Page<UserView>> {
    requireUsersAdmin(actor);
    await this.signedInUser(actor);
    const limit = pageLimit(request);
    const after = decodeCursor(request.cursor, 2);
    const found = await this.em.fork().find(
      User,
      after
        ? {
            $or: [
              { createdAt: { $gt: new Date(after[0]) } },
              { createdAt: new Date(after[0]), id: { $gt: after[1] } },
            ],
          }
        : {},
      { orderBy: [{ createdAt: 'asc' }, { id: 'asc' }], limit: limit + 1 },
    );
    const items = found.slice(0, limit);
    const last = items.at(-1);
    return {
      items: items.map(userViewOf),
      next_cursor:
        found.length > limit && last ? encodeCursor([last.createdAt.toISOString(), last.id]) : null,
    };
  }

  async changeRole(actor: Actor, request: ChangeRoleRequest, context: AppendContext): Promise<UserView> {
    requireUsersAdmin(actor);
    await this.signedInUser(actor);
    if (!USER_ROLES.includes(request.role)) throw invalid(`role must be one of ${USER_ROLES.join(', ')}`);
    if (typeof request.user_id !== 'string') throw invalid('user_id is required');
    await this.users.execute(request.user_id, context, () => ({ type: 'ChangeRole', role: request.role }));
    const user = await this.em.fork().findOne(User, { id: request.user_id });
    if (!user) throw notFound('no such user');
    return userViewOf(user);
  }

  /**
   * An access token outlives its user's purge (it is checked by signature alone): a purged
   * user's token is refused here, not answered as a missing user, and admin powers go with it.
   */
  private async signedInUser(actor: Actor): Promise<User> {
    const user = await this.em.fork().findOne(User, { id: actor.id });
    if (!user) throw unauthorized('the user of this token no longer exists');
    return user;
  }
}

function requireUsersAdmin(actor: Actor): void {
  if (actor.role !== 'admin' || !actor.scopes.includes(Scopes.usersAdmin)) {
    throw forbidden('this needs an admin with the users:admin scope');
  }
}
