import {
  activeTraceId,
  activeTraceparent,
  inSpan,
  SpanKind,
  startSpan,
  tracingActive,
} from './trace-context';
import { startTracing, tracingConfigured } from './tracing';

describe('tracing settings', () => {
  it('is on only with an OTLP endpoint and not disabled', () => {
    expect(tracingConfigured({})).toBe(false);
    expect(tracingConfigured({ OTEL_EXPORTER_OTLP_ENDPOINT: ' ' })).toBe(false);
    expect(tracingConfigured({ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://collector:4318' })).toBe(true);
    expect(tracingConfigured({ OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: 'http://collector:4318/v1/traces' })).toBe(
      true,
    );
    expect(
      tracingConfigured({ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://collector:4318', OTEL_SDK_DISABLED: 'TRUE' }),
    ).toBe(false);
  });

  it('starts nothing and records nothing when not configured', async () => {
    expect(startTracing({ service: 'probe' }, {})).toBe(false);

    expect(tracingActive()).toBe(false);
    expect(
      startSpan('send x', {
        kind: SpanKind.CLIENT,
        traceparent: '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01',
      }),
    ).toBeUndefined();
    await expect(
      inSpan('append thing', { kind: SpanKind.CLIENT }, async () => [activeTraceparent(), activeTraceId()]),
    ).resolves.toEqual([null, undefined]);
  });
});
