/** The services the launcher runs, gateway first, and what each needs. */
export interface DevService {
  readonly name: string;
  /** Owns a Postgres schema: its migrations run before any service starts. */
  readonly ownsData: boolean;
  /** Reads and writes the shared blob store. */
  readonly usesBlobs: boolean;
  /** Settings of its own for local runs (never secrets). */
  readonly env?: Readonly<Record<string, string>>;
  /**
   * Secrets the launcher makes once (32 random bytes, base64) and keeps in the data folder, so
   * what they sealed stays readable across restarts.
   */
  readonly generatedSecrets?: readonly string[];
}

export const DEV_SERVICES: readonly DevService[] = [
  { name: 'gateway', ownsData: false, usesBlobs: true },
  {
    name: 'auth',
    ownsData: true,
    usesBlobs: false,
    env: { ADMIN_EMAIL: 'admin@scriptripper.local', PUBLIC_BASE_URL: 'http://localhost:3000' },
    generatedSecrets: ['AUTH_KEY_ENCRYPTION_KEY'],
  },
  { name: 'profiles', ownsData: true, usesBlobs: false },
  {
    name: 'jobs',
    ownsData: true,
    usesBlobs: false,
    // Local runs deliver webhooks to receivers on this machine (refused in production).
    env: { WEBHOOK_ALLOW_PRIVATE_NETWORKS: 'true' },
    generatedSecrets: ['JOBS_KEY_ENCRYPTION_KEY'],
  },
  { name: 'artifacts', ownsData: true, usesBlobs: true, generatedSecrets: ['DOWNLOAD_SIGNING_KEY'] },
  { name: 'worker', ownsData: false, usesBlobs: true },
];
