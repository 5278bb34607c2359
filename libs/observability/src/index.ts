// Logging (pino), Prometheus metrics and health endpoints shared by every service.
export {};
