import { DataServiceConfig } from '@scriptripper/config';

/** The jobs service's settings, read from the environment by `loadConfig`. Its own settings go here. */
export class JobsConfig extends DataServiceConfig {}
