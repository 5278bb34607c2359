import { Module } from '@nestjs/common';
import { PromptRepository } from './prompt.repository';
import { PromptService } from './prompt.service';
import { PromptsController } from './prompts.controller';

/**
 * Custom prompts on `rpc:jobs`. Needs DataServiceModule, the `promptProjection` among its
 * projections, and the service's PersonalDataModule.
 */
@Module({
  controllers: [PromptsController],
  providers: [PromptRepository, PromptService],
})
export class PromptModule {}
