import { IsNotEmpty, IsString } from 'class-validator';
import { DataServiceConfig } from '@scriptripper/config';

/** The artifacts service's settings, read from the environment by `loadConfig`. */
export class ArtifactsConfig extends DataServiceConfig {
  /** Root folder of the shared blob store (content-addressed files). */
  @IsString()
  @IsNotEmpty({ message: 'must name a folder' })
  BLOB_ROOT!: string;
}
