import { Module, type DynamicModule } from '@nestjs/common';
import { LocalBlobStore } from '@scriptripper/blob-store';
import type { ArtifactsConfig } from '../config';
import { DownloadSigner } from '../download/download-signer';
import { signingKeysOf } from '../download/signing-keys';
import { ArtifactRepository } from './artifact.repository';
import { ArtifactService, BLOB_STORE } from './artifact.service';
import { ArtifactsController } from './artifacts.controller';

/**
 * Artifacts on `rpc:artifacts`: registration, owner reads, signed downloads. Needs DataServiceModule.
 * Global, so other slices (exports) register their files through its ArtifactService.
 */
@Module({})
export class ArtifactModule {
  static register(config: ArtifactsConfig): DynamicModule {
    return {
      module: ArtifactModule,
      global: true,
      controllers: [ArtifactsController],
      providers: [
        ArtifactRepository,
        ArtifactService,
        { provide: BLOB_STORE, useValue: new LocalBlobStore(config.BLOB_ROOT) },
        {
          provide: DownloadSigner,
          useValue: new DownloadSigner(signingKeysOf(config), config.DOWNLOAD_URL_TTL_SECONDS),
        },
      ],
      exports: [ArtifactService],
    };
  }
}
