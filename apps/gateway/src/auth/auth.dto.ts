import { ApiProperty } from '@nestjs/swagger';
import { IsEmail, IsNotEmpty, IsString, Matches, MaxLength } from 'class-validator';
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

export class TokenPairDto implements TokenPair {
  @ApiProperty({ enum: ['Bearer'] })
  token_type!: 'Bearer';

  @ApiProperty({ description: 'JWT, short-lived' })
  access_token!: string;

  @ApiProperty({ description: 'Seconds until the access token expires' })
  expires_in!: number;

  @ApiProperty({ description: 'Single use; reusing an old one revokes the whole session' })
  refresh_token!: string;

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

export class RefreshDto implements RefreshRequest {
  @ApiProperty()
  @IsString()
  @IsNotEmpty()
  @MaxLength(512)
  refresh_token!: string;
}

export class SignOutDto implements SignOutRequest {
  @ApiProperty({ description: 'Its whole session (refresh family) is revoked' })
  @IsString()
  @IsNotEmpty()
  @MaxLength(512)
  refresh_token!: string;
}

export class OidcProviderParams {
  @ApiProperty({ example: 'google', pattern: '^[a-z0-9-]{1,64}$' })
  @IsString()
  @Matches(/^[a-z0-9-]{1,64}$/, { message: 'provider must be a configured provider name' })
  provider!: string;
}
