import { Body, Controller, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type {
  CreateProfileRequest,
  Page,
  ProfileSummary,
  ProfileVersionRequest,
  ProfileVersionView,
  ProfileView,
  PublishProfileVersionRequest,
} from '@scriptripper/contracts';
import { ProfilesRpc, Scopes as Scope } from '@scriptripper/contracts';
import { Roles, Scopes } from '../access/access.decorators';
import { Caller } from '../access/request-actor';
import { ApiErrors, pageRequestOf, PageQueryDto } from '../http/common.dto';
import { ServiceCaller, type CallContext } from '../http/service-caller';
import {
  CreateProfileDto,
  ProfileKeyParams,
  ProfilePageDto,
  ProfileVersionDefinitionDto,
  ProfileVersionParams,
  ProfileVersionViewDto,
  ProfileViewDto,
  PublishProfileVersionDto,
  SetDefaultVersionDto,
} from './profiles.dto';

/** Analysis profiles: everyone signed in reads them; Admins with profiles:admin write them. */
@ApiTags('profiles')
@ApiBearerAuth()
@Controller('profiles')
export class ProfilesController {
  constructor(private readonly services: ServiceCaller) {}

  @Get()
  @Scopes(Scope.jobsRead)
  @ApiOperation({ summary: 'List profiles by key' })
  @ApiOkResponse({ type: ProfilePageDto })
  @ApiErrors(401)
  list(@Query() page: PageQueryDto, @Caller() caller: CallContext) {
    return this.services.call<Page<ProfileSummary>>(ProfilesRpc.list, pageRequestOf(page), caller);
  }

  @Get(':key')
  @Scopes(Scope.jobsRead)
  @ApiOperation({ summary: 'A profile, its versions and its default version in full' })
  @ApiOkResponse({ type: ProfileViewDto })
  @ApiErrors(401, 404)
  get(@Param() params: ProfileKeyParams, @Caller() caller: CallContext) {
    return this.services.call<ProfileView>(ProfilesRpc.get, { key: params.key }, caller);
  }

  @Get(':key/versions/:version')
  @Scopes(Scope.jobsRead)
  @ApiOperation({ summary: 'One version of a profile' })
  @ApiOkResponse({ type: ProfileVersionViewDto })
  @ApiErrors(401, 404)
  getVersion(@Param() params: ProfileVersionParams, @Caller() caller: CallContext) {
    const request: ProfileVersionRequest = { key: params.key, version: params.version };
    return this.services.call<ProfileVersionView>(ProfilesRpc.getVersion, request, caller);
  }

  @Post()
  @Roles('admin')
  @Scopes(Scope.profilesAdmin)
  @ApiOperation({ summary: 'Create a profile; its first version becomes version 1 and the default' })
  @ApiCreatedResponse({ type: ProfileViewDto })
  @ApiErrors(401, 403, 409)
  create(@Body() body: CreateProfileDto, @Caller() caller: CallContext) {
    const request: CreateProfileRequest = {
      key: body.key,
      name: body.name,
      ...(body.description === undefined ? {} : { description: body.description }),
      version: definitionOf(body.version),
    };
    return this.services.call<ProfileView>(ProfilesRpc.create, request, caller);
  }

  @Post(':key/versions')
  @Roles('admin')
  @Scopes(Scope.profilesAdmin)
  @ApiOperation({ summary: 'Publish a new, immutable version (active, or a draft)' })
  @ApiCreatedResponse({ type: ProfileVersionViewDto })
  @ApiErrors(401, 403, 404)
  publishVersion(
    @Param() params: ProfileKeyParams,
    @Body() body: PublishProfileVersionDto,
    @Caller() caller: CallContext,
  ) {
    const request: PublishProfileVersionRequest = {
      key: params.key,
      ...definitionOf(body),
      ...(body.status === undefined ? {} : { status: body.status }),
    };
    return this.services.call<ProfileVersionView>(ProfilesRpc.publishVersion, request, caller);
  }

  @Post(':key/default')
  @HttpCode(200)
  @Roles('admin')
  @Scopes(Scope.profilesAdmin)
  @ApiOperation({
    summary: 'Make a version the default (a draft becomes active; a deprecated one is refused)',
  })
  @ApiOkResponse({ type: ProfileViewDto })
  @ApiErrors(401, 403, 404, 409)
  setDefault(
    @Param() params: ProfileKeyParams,
    @Body() body: SetDefaultVersionDto,
    @Caller() caller: CallContext,
  ) {
    const request: ProfileVersionRequest = { key: params.key, version: body.version };
    return this.services.call<ProfileView>(ProfilesRpc.setDefault, request, caller);
  }

  @Post(':key/versions/:version/deprecate')
  @HttpCode(200)
  @Roles('admin')
  @Scopes(Scope.profilesAdmin)
  @ApiOperation({
    summary: 'Deprecate a version: no new jobs use it',
    description:
      'Deprecating the default moves the default to the newest other active version; ' +
      'it is refused (409) when there is none.',
  })
  @ApiOkResponse({ type: ProfileViewDto })
  @ApiErrors(401, 403, 404, 409)
  deprecate(@Param() params: ProfileVersionParams, @Caller() caller: CallContext) {
    const request: ProfileVersionRequest = { key: params.key, version: params.version };
    return this.services.call<ProfileView>(ProfilesRpc.deprecateVersion, request, caller);
  }
}

/** Only the definition's own fields travel on, whatever else the DTO class holds. */
function definitionOf(body: ProfileVersionDefinitionDto) {
  return {
    prompts: body.prompts,
    parameters: body.parameters,
    output_schema: body.output_schema,
    template: body.template,
  };
}
