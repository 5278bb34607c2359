import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsEmail, IsIn, IsNotEmpty, IsOptional, IsString, Matches, MaxLength } from 'class-validator';
import type {
  RefreshRequest,
  RequestMagicLinkRequest,
  SignOutRequest,
  TokenPair,
  UserRole,
  UserView,
  VerifyMagicLinkRequest,
} from '@scriptripper/contracts';
import { USER_ROLES } from '@scriptripper/contracts';

export class UserViewDto implements UserView {
  @ApiProperty({ format: 'uuid' })
  id!: string;

  @ApiProperty({ format: 'email' })
  email!: string;

  @ApiProperty({ type: String, nullable: true })
  name!: string | null;

  @ApiProperty({ enum: USER_ROLES })
  role!: UserRole;

  @ApiProperty({ format: 'date-time' })
  created_at!: string;

  @ApiProperty({ format: 'date-time' })
  updated_at!: string;
}

/**
 * What a sign-in or refresh answers: the token pair, except that the web console (the
 * `X-ScriptRipper-Client: console` header) gets its refresh token in an httpOnly cookie only.
 */
export class SessionTokensDto implements Omit<TokenPair, 'refresh_token'> {
  @ApiProperty({ enum: ['Bearer'] })
  token_type!: 'Bearer';

  @ApiProperty({ description: 'JWT, short-lived' })
  access_token!: string;

  @ApiProperty({ description: 'Seconds until the access token expires' })
  expires_in!: number;

  @ApiPropertyOptional({
    description:
      'Single use; reusing an old one revokes the whole session. Absent for the web console, ' +
      'which gets it in the httpOnly sr_refresh cookie instead',
  })
  refresh_token?: string;

  @ApiProperty({ type: UserViewDto })
  user!: UserViewDto;
}

export class RequestMagicLinkDto implements RequestMagicLinkRequest {
  @ApiProperty({ format: 'email', maxLength: 320 })
  @IsEmail()
  @MaxLength(320)
  email!: string;
}

export class VerifyMagicLinkDto implements VerifyMagicLinkRequest {
  @ApiProperty({ description: 'The token from the link' })
  @IsString()
  @IsNotEmpty()
  @MaxLength(512)
  token!: string;
}

export class RefreshDto implements Partial<RefreshRequest> {
  @ApiPropertyOptional({ description: 'Required, except for the web console: its token is in the cookie' })
  @IsOptional()
  @IsString()
  @IsNotEmpty()
  @MaxLength(512)
  refresh_token?: string;
}

export class SignOutDto implements Partial<SignOutRequest> {
  @ApiPropertyOptional({
    description:
      'Its whole session (refresh family) is revoked. Required, except for the web console: its token is in the cookie',
  })
  @IsOptional()
  @IsString()
  @IsNotEmpty()
  @MaxLength(512)
  refresh_token?: string;
}

export class OidcProviderParams {
  @ApiProperty({ example: 'google', pattern: '^[a-z0-9-]{1,64}$' })
  @IsString()
  @Matches(/^[a-z0-9-]{1,64}$/, { message: 'provider must be a configured provider name' })
  provider!: string;
}

export class StartOidcQueryDto {
  @ApiPropertyOptional({
    enum: ['console'],
    description: 'console: the callback signs this browser in (session cookie) and returns to the console',
  })
  @IsOptional()
  @IsIn(['console'])
  client?: 'console';

  @ApiPropertyOptional({
    description: 'With client=console: the console page to return to, a path such as /jobs/<id> (else /)',
    maxLength: 2048,
  })
  @IsOptional()
  @IsString()
  @MaxLength(2_048)
  return_to?: string;
}
