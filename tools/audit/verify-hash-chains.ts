import { lastValueFrom } from 'rxjs';
import { auditRpc, serviceActor } from '@scriptripper/contracts';
import type { HashChainReport } from '@scriptripper/event-store';
import { RedisStreamsClient, withContext } from '@scriptripper/streams';

export const DATA_SERVICES = ['auth', 'profiles', 'jobs', 'artifacts'] as const;

export interface ServiceChainReport {
  readonly service: string;
  readonly report?: HashChainReport;
  /** The service did not answer (down, timed out) or refused. */
  readonly error?: string;
}

/** Asks every data service, over its own `rpc:<service>`, to verify its event hash chains. */
export async function verifyHashChainsOf(
  client: RedisStreamsClient,
  services: readonly string[] = DATA_SERVICES,
  timeoutMs = 60_000,
): Promise<ServiceChainReport[]> {
  return Promise.all(
    services.map(async (service): Promise<ServiceChainReport> => {
      try {
        const report = await lastValueFrom(
          client.send<HashChainReport>(
            auditRpc(service).verify,
            withContext({ actor: serviceActor('gateway'), timeoutMs }, {}),
          ),
        );
        return { service, report };
      } catch (error) {
        return { service, error: error instanceof Error ? error.message : String(error) };
      }
    }),
  );
}

/** One line per service; the first broken link where there is one. */
export function describeReport({ service, report, error }: ServiceChainReport): string {
  if (error !== undefined) return `${service}: could not verify (${error})`;
  if (!report) return `${service}: no answer`;
  if (report.ok) return `${service}: ok (${report.streams} streams, ${report.events} events)`;
  const broken = report.firstBroken;
  return (
    `${service}: BROKEN at stream ${broken.streamId} version ${broken.streamVersion} ` +
    `(global position ${broken.globalPosition}): expected hash ${broken.expectedHash}, found ${broken.actualHash}`
  );
}

export function allVerified(reports: readonly ServiceChainReport[]): boolean {
  return reports.every((entry) => entry.report?.ok === true);
}
