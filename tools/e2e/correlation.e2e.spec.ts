import { randomBytes } from 'node:crypto';
import type { TokenPair } from '@scriptripper/contracts';
import { pollUntil } from '../dev/test-support/node-processes';
import { GatewayClient } from './test-support/gateway-client';
import { startIdentityStack, type IdentityStack } from './test-support/identity-stack';
import { startOtlpReceiver, type OtlpReceiver } from './test-support/otlp-receiver';

const MEETING = `WEBVTT

00:00:01.000 --> 00:00:05.000
<v Ana>We decided to ship the beta on Monday.

00:00:05.500 --> 00:00:10.000
<v Bob>I will write the release notes by Friday.
`;

/** The services one job passes through, each its own process. */
const JOB_SERVICES = ['gateway', 'jobs', 'profiles', 'worker', 'artifacts'] as const;

/** The JSON log lines of a service's processes (other output, such as a stack trace, skipped). */
function jsonLines(stack: IdentityStack, service: string): Record<string, unknown>[] {
  return stack.output(service).flatMap((line) => {
    if (!line.startsWith('{')) return [];
    try {
      return [JSON.parse(line) as Record<string, unknown>];
    } catch {
      return [];
    }
  });
}

/**
 * Following one request end to end, as an operator would: a job submitted with an
 * `X-Request-Id` and a W3C `traceparent`, run to completion by every service as its own process
 * from dist/; the id is then on log lines of each service it passed through, and their spans
 * reach an OTLP receiver in the request's trace.
 */
describe('one request followed through logs and traces', () => {
  let receiver: OtlpReceiver;
  let stack: IdentityStack;
  let client: GatewayClient;
  let ana: TokenPair;

  beforeAll(async () => {
    receiver = await startOtlpReceiver();
    stack = await startIdentityStack('correlation_e2e', {
      adminEmail: 'admin@correlation.test',
      withWorker: true,
      env: {
        LOG_LEVEL: 'info',
        OTEL_EXPORTER_OTLP_ENDPOINT: receiver.url,
        OTEL_BSP_SCHEDULE_DELAY: '200',
      },
    });
    client = new GatewayClient(stack.gatewayUrl, stack.mailFolder);
    ana = await client.signIn('ana@correlation.test');
  });

  afterAll(async () => {
    await stack?.stop();
    await receiver?.close();
  });

  it('finds the X-Request-Id on log lines of gateway, jobs, profiles, worker and artifacts, and their spans in one trace', async () => {
    const requestId = `e2e-${randomBytes(8).toString('hex')}`;
    const traceId = randomBytes(16).toString('hex');
    const response = await fetch(`${stack.gatewayUrl}/api/v1/jobs`, {
      method: 'POST',
      headers: {
        authorization: `Bearer ${ana.access_token}`,
        'content-type': 'application/json',
        'x-request-id': requestId,
        traceparent: `00-${traceId}-${randomBytes(8).toString('hex')}-01`,
      },
      body: JSON.stringify({ profile: 'meeting', transcript: MEETING, filename: 'beta.vtt' }),
    });
    expect(response.status).toBe(202);
    expect(response.headers.get('x-request-id')).toBe(requestId);
    const { job_id: jobId } = (await response.json()) as { job_id: string };
    expect((await client.finished(jobId, ana.access_token)).status).toBe('completed');

    // Logs: every service the job passed through wrote at least one line within its correlation.
    const linesWithId = await pollUntil('a log line with the request id from every service', async () => {
      const found = Object.fromEntries(
        JOB_SERVICES.map((service) => [
          service,
          jsonLines(stack, service).filter((line) => line['correlationId'] === requestId),
        ]),
      );
      return JOB_SERVICES.every((service) => (found[service]?.length ?? 0) > 0) ? found : undefined;
    });
    for (const service of JOB_SERVICES) {
      for (const line of linesWithId[service] ?? []) {
        expect(line['service']).toBe(service);
        // A line written inside a span names its trace: the request's.
        if ('traceId' in line) expect(line['traceId']).toBe(traceId);
      }
    }
    expect(linesWithId['worker']?.some((line) => line['traceId'] === traceId)).toBe(true);
    expect(linesWithId['gateway']?.map((line) => line['message'])).toContain('request completed');
    expect(linesWithId['worker']?.map((line) => String(line['message']))).toEqual(
      expect.arrayContaining([expect.stringMatching(/^AnalyzeTranscript .* handled in /)]),
    );

    // Traces: each service exported spans of the request's trace, linked parent to child.
    const expected: readonly [service: string, name: RegExp][] = [
      ['gateway', /^POST \/api\/v1\/jobs$/],
      ['gateway', /^send jobs\.create$/],
      ['jobs', /^handle jobs\.create$/],
      ['jobs', /^read stream$/],
      ['jobs', /^append /],
      ['profiles', /^handle profiles\./],
      ['worker', /^consume AnalyzeTranscript$/],
      ['worker', /^send artifacts\.register$/],
      ['artifacts', /^handle artifacts\.register$/],
    ];
    const inTrace = () => receiver.spans.filter((span) => span.traceId === traceId);
    const find = (service: string, name: RegExp) =>
      inTrace().find((span) => span.service === service && name.test(span.name));
    await pollUntil('the spans of the request from every service', async () =>
      expected.every(([service, name]) => find(service, name)) ? true : undefined,
    ).catch((error: unknown) => {
      const seen = inTrace().map((span) => `${span.service}: ${span.name}`);
      throw new Error(`${String(error)}; spans of the trace: ${seen.join(', ')}`);
    });
    const byId = new Map(inTrace().map((span) => [span.spanId, span]));
    const parentOf = (service: string, name: RegExp) => byId.get(find(service, name)?.parentSpanId ?? '');
    expect(parentOf('gateway', /^send jobs\.create$/)).toMatchObject({ name: 'POST /api/v1/jobs' });
    expect(parentOf('jobs', /^handle jobs\.create$/)).toMatchObject({
      service: 'gateway',
      name: 'send jobs.create',
    });
    expect(parentOf('artifacts', /^handle artifacts\.register$/)).toMatchObject({
      service: 'worker',
      name: 'send artifacts.register',
    });
    expect(parentOf('worker', /^send artifacts\.register$/)).toMatchObject({
      name: 'consume AnalyzeTranscript',
    });
  });

  it('exports the platform metrics on each service', async () => {
    const metricsOf = async (service: string) => (await fetch(stack.metricsUrl(service))).text();
    const [gateway, jobs, worker] = await Promise.all(['gateway', 'jobs', 'worker'].map(metricsOf));

    expect(gateway).toMatch(/^http_request_duration_seconds_bucket\{[^}]*route="\/api\/v1\/jobs\/:id"/m);
    expect(jobs).toMatch(/^scriptripper_job_duration_seconds_count\{outcome="completed"\} [1-9]/m);
    expect(jobs).toMatch(
      /^scriptripper_event_store_append_duration_seconds_count\{service="jobs",outcome="ok"\} [1-9]/m,
    );
    expect(jobs).toMatch(/^scriptripper_outbox_oldest_unpublished_age_seconds\{service="jobs"\} /m);
    expect(jobs).toMatch(/^scriptripper_stream_acked_total\{stream="rpc:jobs",group="jobs"\} [1-9]/m);
    expect(worker).toMatch(
      /^scriptripper_analysis_duration_seconds_count\{provider="[^"]+",profile="meeting",outcome="ok"\} [1-9]/m,
    );
    expect(worker).toMatch(/^scriptripper_stream_lag\{stream="work:analysis",group="worker"\} /m);
  });
});
