import { IsNotEmpty, IsString } from 'class-validator';
import { ServiceConfig } from '@scriptripper/config';

/** The gateway service's settings, read from the environment by `loadConfig`. */
export class GatewayConfig extends ServiceConfig {
  /** Root folder of the shared blob store (content-addressed files). */
  @IsString()
  @IsNotEmpty({ message: 'must name a folder' })
  BLOB_ROOT!: string;
}
