import { DataServiceConfig } from '@scriptripper/config';

/** The auth service's settings, read from the environment by `loadConfig`. Its own settings go here. */
export class AuthConfig extends DataServiceConfig {}
