import { Module } from '@nestjs/common';
import { BuiltInProfilesSeeder } from '../built-ins/built-in-profiles.seeder';
import { ProfileRepository } from './profile.repository';
import { ProfileService } from './profile.service';
import { ProfilesController } from './profiles.controller';

/** Profiles and their versions on `rpc:profiles`, with the built-ins published at start. Needs DataServiceModule. */
@Module({
  controllers: [ProfilesController],
  providers: [ProfileRepository, ProfileService, BuiltInProfilesSeeder],
})
export class ProfileModule {}
