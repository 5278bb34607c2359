import { ApiProperty } from '@nestjs/swagger';
import { IsIn, Matches } from 'class-validator';
import type { Page, UserRole } from '@scriptripper/contracts';
import { USER_ROLES } from '@scriptripper/contracts';
import { UserViewDto } from '../auth/auth.dto';

export class UserIdParams {
  @ApiProperty({ pattern: '^[A-Za-z0-9_-]{1,64}$' })
  @Matches(/^[A-Za-z0-9_-]{1,64}$/, { message: 'id must be an id' })
  id!: string;
}

export class ChangeRoleDto {
  @ApiProperty({ enum: USER_ROLES })
  @IsIn(USER_ROLES)
  role!: UserRole;
}

export class UserPageDto implements Page<UserViewDto> {
  @ApiProperty({ type: UserViewDto, isArray: true })
  items!: UserViewDto[];

  @ApiProperty({ type: String, nullable: true })
  next_cursor!: string | null;
}
