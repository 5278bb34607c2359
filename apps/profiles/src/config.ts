import { DataServiceConfig } from '@scriptripper/config';

/** The profiles service's settings, read from the environment by `loadConfig`. Its own settings go here. */
export class ProfilesConfig extends DataServiceConfig {}
