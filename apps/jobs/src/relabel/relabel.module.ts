import { Module } from '@nestjs/common';
import { RelabelController } from './relabel.controller';
import { RelabelService } from './relabel.service';

/** Speaker relabelling on `rpc:jobs`. Needs DataServiceModule and the PersonalDataModule. */
@Module({ controllers: [RelabelController], providers: [RelabelService] })
export class RelabelModule {}
