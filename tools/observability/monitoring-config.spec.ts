import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Registry } from 'prom-client';
import { parse as parseYaml } from 'yaml';
import { EventStoreMetrics } from '@scriptripper/event-store';
import { createMetricsRegistry, registerDomainMetrics } from '@scriptripper/observability';
import { StreamMetrics } from '@scriptripper/streams';
import { workspaceRoot } from '../dev/test-support/node-processes';

/**
 * The Grafana dashboard and the Prometheus rules in deploy/observability/ checked without
 * Grafana or promtool: both parse, have the structure their tools require, and every metric
 * their PromQL names is one the code exports (or one the rules themselves record).
 */
const folder = join(workspaceRoot, 'deploy/observability');

/** Every series name a ScriptRipper service can expose on /metrics. */
function exportedSeries(): Set<string> {
  const { registry } = createMetricsRegistry({ service: 'check', instance: 'check-1' });
  const shared = new Registry();
  StreamMetrics.in(shared);
  EventStoreMetrics.in(shared);
  registerDomainMetrics(shared);
  const names = new Set<string>();
  for (const metric of [...registry.getMetricsAsArray(), ...shared.getMetricsAsArray()]) {
    const { name, type } = metric as unknown as { name: string; type: string };
    names.add(name);
    if (type === 'histogram') for (const suffix of ['_bucket', '_sum', '_count']) names.add(name + suffix);
    if (type === 'summary') for (const suffix of ['_sum', '_count']) names.add(name + suffix);
  }
  return names;
}

const PROMQL_FUNCTIONS_AND_KEYWORDS = new Set([
  'by',
  'without',
  'on',
  'ignoring',
  'group_left',
  'group_right',
  'bool',
  'and',
  'or',
  'unless',
  'offset',
  'inf',
  'nan',
]);

/** The metric names a PromQL expression reads (functions, keywords, labels and strings left out). */
function metricNamesIn(expr: string): string[] {
  const stripped = expr
    .replace(/"(?:[^"\\]|\\.)*"/g, '""') // strings
    .replace(/\{[^}]*\}/g, '') // label matchers
    .replace(/\[[^\]]*\]/g, '') // ranges
    .replace(/\b(by|without|on|ignoring|group_left|group_right)\s*\([^)]*\)/g, ' ') // label lists
    .replace(/\b\d+(\.\d+)?(e[+-]?\d+)?\b/gi, ' '); // numbers
  const names: string[] = [];
  for (const match of stripped.matchAll(/[A-Za-z_:][A-Za-z0-9_:]*/g)) {
    const following = stripped.slice((match.index ?? 0) + match[0].length).trimStart();
    if (following.startsWith('(')) continue; // a function or aggregation
    if (PROMQL_FUNCTIONS_AND_KEYWORDS.has(match[0].toLowerCase())) continue;
    names.push(match[0]);
  }
  return names;
}

/** Brackets balance and nothing is empty: the syntax errors a hand edit most often makes. */
function expectWellFormed(expr: string, where: string): void {
  const closing: Record<string, string> = { ')': '(', ']': '[', '}': '{' };
  const open: string[] = [];
  for (const char of expr.replace(/"(?:[^"\\]|\\.)*"/g, '""')) {
    if ('([{'.includes(char)) open.push(char);
    else if (char in closing && open.pop() !== closing[char])
      throw new Error(`${where}: unbalanced "${char}" in ${expr}`);
  }
  if (open.length > 0) throw new Error(`${where}: unclosed "${open.join('')}" in ${expr}`);
  expect(metricNamesIn(expr).length).toBeGreaterThan(0);
}

const DURATION = /^\d+(ms|s|m|h|d|w|y)$/;

interface Rule {
  readonly alert?: unknown;
  readonly record?: unknown;
  readonly expr?: unknown;
  readonly for?: unknown;
  readonly labels?: Record<string, unknown>;
  readonly annotations?: Record<string, unknown>;
}

function loadRules(): { groups: { name: string; interval?: string; rules: Rule[] }[] } {
  return parseYaml(readFileSync(join(folder, 'alerts.yml'), 'utf8')) as ReturnType<typeof loadRules>;
}

function recordedNames(): Set<string> {
  return new Set(
    loadRules()
      .groups.flatMap((group) => group.rules)
      .map((rule) => rule.record)
      .filter((name): name is string => typeof name === 'string'),
  );
}

describe('PromQL metric name extraction', () => {
  it('keeps metric names and drops functions, label lists, matchers and numbers', () => {
    expect(
      metricNamesIn(
        'histogram_quantile(0.95, sum by (le, route) (rate(http_request_duration_seconds_bucket{service="gateway",x=~"a(b"}[5m]))) > 1e-3 and on(job) up_total',
      ),
    ).toEqual(['http_request_duration_seconds_bucket', 'up_total']);
  });
});

describe('the Grafana dashboard', () => {
  const dashboard = JSON.parse(readFileSync(join(folder, 'grafana-dashboard.json'), 'utf8')) as {
    uid: string;
    title: string;
    schemaVersion: number;
    templating: { list: { name: string; type: string }[] };
    panels: {
      id: number;
      type: string;
      title: string;
      gridPos: { x: number; y: number; w: number; h: number };
      datasource?: { type: string; uid: string };
      targets?: { refId: string; expr: string }[];
    }[];
  };

  it('has what Grafana needs to import it: uid, title, schema version, a Prometheus datasource variable', () => {
    expect(dashboard.uid).toMatch(/^[\w-]{1,40}$/);
    expect(dashboard.title).not.toBe('');
    expect(dashboard.schemaVersion).toBeGreaterThanOrEqual(30);
    expect(dashboard.templating.list).toContainEqual(
      expect.objectContaining({ name: 'datasource', type: 'datasource' }),
    );
  });

  it('lays out uniquely numbered panels on the 24-column grid, each query with its datasource and refId', () => {
    const ids = dashboard.panels.map((panel) => panel.id);
    expect(new Set(ids).size).toBe(ids.length);
    for (const panel of dashboard.panels) {
      expect(panel.title).not.toBe('');
      expect(panel.gridPos.x + panel.gridPos.w).toBeLessThanOrEqual(24);
      if (panel.type === 'row') continue;
      expect(panel.datasource).toEqual({ type: 'prometheus', uid: '${datasource}' });
      expect(panel.targets?.length).toBeGreaterThan(0);
      const refIds = (panel.targets ?? []).map((target) => target.refId);
      expect(new Set(refIds).size).toBe(refIds.length);
    }
  });

  it('queries only metrics the services export or the rules record', () => {
    const known = new Set([...exportedSeries(), ...recordedNames()]);
    const unknown: string[] = [];
    for (const panel of dashboard.panels) {
      for (const target of panel.targets ?? []) {
        expectWellFormed(target.expr, `panel "${panel.title}"`);
        for (const name of metricNamesIn(target.expr))
          if (!known.has(name)) unknown.push(`${panel.title}: ${name}`);
      }
    }
    expect(unknown).toEqual([]);
  });

  it('shows the measures the issue names', () => {
    const queried = new Set(
      dashboard.panels.flatMap((panel) => (panel.targets ?? []).flatMap((t) => metricNamesIn(t.expr))),
    );
    for (const name of [
      'http_request_duration_seconds_bucket',
      'scriptripper_stream_lag',
      'scriptripper_stream_pending',
      'scriptripper_stream_dead_lettered_total',
      'scriptripper_stream_retried_total',
      'scriptripper_outbox_oldest_unpublished_age_seconds',
      'scriptripper_event_store_append_duration_seconds_bucket',
      'scriptripper_job_duration_seconds_bucket',
      'scriptripper_analysis_duration_seconds_bucket',
      'scriptripper_llm_tokens_total',
      'scriptripper_llm_cost_usd_total',
    ]) {
      expect(queried).toContain(name);
    }
  });
});

describe('the Prometheus alert rules', () => {
  const rules = loadRules();

  it('are groups of uniquely named rule lists, each rule a valid alert or recording rule', () => {
    expect(Object.keys(rules)).toEqual(['groups']);
    const groupNames = rules.groups.map((group) => group.name);
    expect(new Set(groupNames).size).toBe(groupNames.length);
    for (const group of rules.groups) {
      expect(Object.keys(group).every((key) => ['name', 'interval', 'rules', 'limit'].includes(key))).toBe(
        true,
      );
      if (group.interval !== undefined) expect(group.interval).toMatch(DURATION);
      expect(group.rules.length).toBeGreaterThan(0);
      for (const rule of group.rules) {
        const where = `${group.name}/${String(rule.alert ?? rule.record)}`;
        expect([typeof rule.alert, typeof rule.record].filter((type) => type === 'string')).toHaveLength(1);
        expect(typeof rule.expr).toBe('string');
        expectWellFormed(rule.expr as string, where);
        if (rule.record !== undefined) {
          expect(rule.record).toMatch(/^[a-zA-Z_:][a-zA-Z0-9_:]*$/);
          expect(Object.keys(rule).every((key) => ['record', 'expr', 'labels'].includes(key))).toBe(true);
          continue;
        }
        expect(rule.alert).toMatch(/^[A-Za-z][A-Za-z0-9_]*$/);
        expect(
          Object.keys(rule).every((key) =>
            ['alert', 'expr', 'for', 'keep_firing_for', 'labels', 'annotations'].includes(key),
          ),
        ).toBe(true);
        if (rule.for !== undefined) expect(rule.for).toMatch(DURATION);
        expect(['page', 'ticket']).toContain(rule.labels?.['severity']);
        expect(typeof rule.annotations?.['summary']).toBe('string');
        for (const value of Object.values({ ...rule.labels, ...rule.annotations }))
          expect(typeof value).toBe('string');
      }
    }
  });

  it('name only metrics the services export or the rules record, and no alert twice', () => {
    const known = new Set([...exportedSeries(), ...recordedNames()]);
    const rulesList = rules.groups.flatMap((group) => group.rules);
    const unknown = rulesList.flatMap((rule) =>
      metricNamesIn(rule.expr as string)
        .filter((name) => !known.has(name))
        .map((name) => `${String(rule.alert ?? rule.record)}: ${name}`),
    );
    expect(unknown).toEqual([]);
    const alerts = rulesList.map((rule) => rule.alert).filter((name) => name !== undefined);
    expect(new Set(alerts).size).toBe(alerts.length);
  });

  it('cover API and job latency burn rates over a long and a short window, backlog, dead letters, relay lag and provider errors', () => {
    const exprOf = (alert: string) =>
      String(rules.groups.flatMap((group) => group.rules).find((rule) => rule.alert === alert)?.expr ?? '');
    for (const slo of ['ApiAvailability', 'JobLatency']) {
      const fast = exprOf(`${slo}BudgetBurnFast`);
      expect(fast).toMatch(/:rate1h > .* and .*:rate5m > /);
      expect(exprOf(`${slo}BudgetBurnSlow`)).toMatch(/:rate1d > .* and .*:rate2h > /);
    }
    expect(metricNamesIn(exprOf('StreamBacklogGrowing'))).toEqual(['scriptripper_stream_lag']);
    expect(metricNamesIn(exprOf('DeadLettersGrowing'))).toEqual(['scriptripper_stream_dead_lettered_total']);
    expect(metricNamesIn(exprOf('OutboxRelayLagging'))).toEqual([
      'scriptripper_outbox_oldest_unpublished_age_seconds',
    ]);
    expect(metricNamesIn(exprOf('LlmProviderErrorSurge'))).toContain('scriptripper_llm_requests_total');
  });

  it('point their runbook links at files that exist', () => {
    for (const rule of rules.groups.flatMap((group) => group.rules)) {
      const link = rule.annotations?.['runbook_url'];
      if (typeof link !== 'string') continue;
      expect(readFileSync(join(workspaceRoot, link.split('#')[0] as string), 'utf8').length).toBeGreaterThan(
        0,
      );
    }
  });
});
