import { Controller, Delete, Get, HttpCode } from '@nestjs/common';
import { ApiAcceptedResponse, ApiBearerAuth, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { UserView } from '@scriptripper/contracts';
import { AuthRpc } from '@scriptripper/contracts';
import { Caller } from '../access/request-actor';
import { UserViewDto } from '../auth/auth.dto';
import { AcceptedDto, ApiErrors } from '../http/common.dto';
import { ServiceCaller, type CallContext } from '../http/service-caller';

/** The signed-in user: who the auth service says the actor is, and purging all of it. */
@ApiTags('me')
@ApiBearerAuth()
@Controller('me')
export class MeController {
  constructor(private readonly services: ServiceCaller) {}

  @Get()
  @ApiOperation({ summary: 'The signed-in user' })
  @ApiOkResponse({ type: UserViewDto })
  @ApiErrors(401, 404)
  me(@Caller() caller: CallContext) {
    return this.services.call<UserView>(AuthRpc.me, {}, caller);
  }

  @Delete()
  @HttpCode(202)
  @ApiOperation({
    summary: "Purge the signed-in user: every service destroys the user's key and read models",
    description:
      'The auth service records the purge at once; other services shred their data as they see it.',
  })
  @ApiAcceptedResponse({ type: AcceptedDto })
  @ApiErrors(401, 404)
  async purge(@Caller() caller: CallContext): Promise<AcceptedDto> {
    await this.services.call(AuthRpc.purgeMe, {}, caller);
    return { accepted: true };
  }
}
