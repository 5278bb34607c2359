import { Body, Controller, Get, Param, Patch, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { ChangeRoleRequest, Page, UserView } from '@scriptripper/contracts';
import { AuthRpc, Scopes as Scope } from '@scriptripper/contracts';
import { InteractiveSession, Roles, Scopes } from '../access/access.decorators';
import { Caller } from '../access/request-actor';
import { UserViewDto } from '../auth/auth.dto';
import { ApiErrors, pageRequestOf, PageQueryDto } from '../http/common.dto';
import { ServiceCaller, type CallContext } from '../http/service-caller';
import { ChangeRoleDto, UserIdParams, UserPageDto } from './admin-users.dto';

/**
 * Managing users: admins only, with the users:admin scope, both re-read from auth's records at
 * every use; changing a role needs a signed-in person, never an API token.
 */
@ApiTags('admin')
@ApiBearerAuth()
@Roles('admin')
@Scopes(Scope.usersAdmin)
@Controller('admin/users')
export class AdminUsersController {
  constructor(private readonly services: ServiceCaller) {}

  @Get()
  @ApiOperation({ summary: 'List users' })
  @ApiOkResponse({ type: UserPageDto })
  @ApiErrors(401, 403)
  list(@Query() page: PageQueryDto, @Caller() caller: CallContext) {
    return this.services.call<Page<UserView>>(AuthRpc.listUsers, pageRequestOf(page), caller);
  }

  @Patch(':id/role')
  @InteractiveSession()
  @ApiOperation({ summary: "Change a user's role" })
  @ApiOkResponse({ type: UserViewDto })
  @ApiErrors(401, 403, 404)
  changeRole(@Param() params: UserIdParams, @Body() body: ChangeRoleDto, @Caller() caller: CallContext) {
    const request: ChangeRoleRequest = { user_id: params.id, role: body.role };
    return this.services.call<UserView>(AuthRpc.changeRole, request, caller);
  }
}
