// Validated per-app configuration from the environment.
export { ConfigError, type ConfigProblem } from './config-error';
export { loadConfig, type ConfigClass } from './load-config';
export { isSecret, Secret } from './secret.decorator';
export {
  DatabaseJobConfig,
  DataServiceConfig,
  LOG_LEVELS,
  ServiceConfig,
  type LogLevel,
} from './service-config';
export { isTrustProxy, parseTrustProxy, type TrustProxy } from './trust-proxy';
