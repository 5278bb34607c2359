/** The services the launcher runs, gateway first, and what each needs. */
export interface DevService {
  readonly name: string;
  /** Owns a Postgres schema: its migrations run before any service starts. */
  readonly ownsData: boolean;
  /** Reads and writes the shared blob store. */
  readonly usesBlobs: boolean;
}

export const DEV_SERVICES: readonly DevService[] = [
  { name: 'gateway', ownsData: false, usesBlobs: true },
  { name: 'auth', ownsData: true, usesBlobs: false },
  { name: 'profiles', ownsData: true, usesBlobs: false },
  { name: 'jobs', ownsData: true, usesBlobs: false },
  { name: 'artifacts', ownsData: true, usesBlobs: true },
  { name: 'worker', ownsData: false, usesBlobs: true },
];
