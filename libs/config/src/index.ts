// Validated per-app configuration from the environment.
export {};
