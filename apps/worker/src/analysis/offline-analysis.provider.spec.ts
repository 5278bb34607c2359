import { parseTranscript } from '@scriptripper/analysis';
import { OutputSchemaValidator } from '../results/output-schema.validator';
import { MEETING_PROFILE } from '../test-support/meeting-profile.fixture';
import { SHORT_MEETING_VTT } from '../test-support/short-meeting';
import { analyzerProfileOf, capsOf, OfflineAnalysisProvider } from './offline-analysis.provider';

const transcript = parseTranscript(SHORT_MEETING_VTT, { format: 'webvtt' });
const request = { transcript, profile: MEETING_PROFILE, meetingDate: '2026-03-02' };

describe('OfflineAnalysisProvider', () => {
  const provider = new OfflineAnalysisProvider();

  it('gives an output the meeting schema accepts, with the version it ran as metadata', async () => {
    const { output } = await provider.analyze(request);
    const problems = new OutputSchemaValidator().problemsOf(
      { key: 'meeting', version: 1, schema: MEETING_PROFILE.output_schema },
      output,
    );
    expect(problems).toBeNull();
    expect(output['profile']).toEqual({ key: 'meeting', version: 1 });
  });

  it('finds the tasks with their owners and resolves due phrases against the meeting date', async () => {
    const { output } = await provider.analyze(request);
    const tasks = output['tasks'] as {
      owner: { name: string | null };
      due: { phrase: string | null; date: string | null };
    }[];
    expect(tasks.map((task) => task.owner.name)).toEqual(expect.arrayContaining(['Bob Chen', 'Carla Diaz']));
    expect(tasks.find((task) => task.due.phrase?.includes('Friday'))?.due.date).toMatch(/^2026-03-0\d$/);
  });

  it('quotes every piece of evidence verbatim from its segment', async () => {
    const { output } = await provider.analyze(request);
    const textOf = new Map(transcript.segments.map((segment) => [segment.id, segment.text]));
    let checked = 0;
    for (const item of ['summary', 'decisions', 'tasks', 'highlights', 'quotables', 'topics']) {
      for (const { evidence } of output[item] as { evidence: { segment_id: string; quote: string }[] }[]) {
        for (const { segment_id: segmentId, quote } of evidence) {
          expect(textOf.get(segmentId)).toContain(quote);
          checked += 1;
        }
      }
    }
    expect(checked).toBeGreaterThan(5);
  });

  it("caps tasks by the profile's max_tasks parameter and says so beside the sections", async () => {
    const capped = { ...MEETING_PROFILE, parameters: { ...MEETING_PROFILE.parameters, max_tasks: 1 } };
    const { output } = await provider.analyze({ ...request, profile: capped });
    const { output: uncapped } = await provider.analyze(request);
    const found = (uncapped['tasks'] as unknown[]).length;

    expect(found).toBeGreaterThan(1);
    expect(output['tasks']).toHaveLength(1);
    expect(output['truncated']).toEqual({ tasks: { kept: 1, found } });
    expect(uncapped['truncated']).toBeUndefined();
    expect(
      new OutputSchemaValidator().problemsOf(
        { key: 'meeting', version: 1, schema: MEETING_PROFILE.output_schema },
        output,
      ),
    ).toBeNull();
  });

  it('is deterministic and costs nothing', async () => {
    const first = await provider.analyze(request);
    const second = await provider.analyze(request);
    expect(JSON.stringify(first)).toBe(JSON.stringify(second));
    expect(first.usage).toEqual({
      words: expect.any(Number),
      tokens: 0,
      input_tokens: 0,
      output_tokens: 0,
      cost: 0,
      provider: 'offline',
      model: null,
      dropped_items: 0,
    });
    expect(first.usage.words).toBeGreaterThan(50);
  });
});

describe('capsOf', () => {
  it('takes positive integer max_decisions and max_tasks, and leaves anything else to the default', () => {
    expect(capsOf({ max_decisions: 20, max_tasks: 30 })).toEqual({ maxDecisions: 20, maxTasks: 30 });
    expect(capsOf({ max_decisions: 0, max_tasks: '5' })).toEqual({});
    expect(capsOf({ max_tasks: 2.5 })).toEqual({});
  });
});

describe('analyzerProfileOf', () => {
  it('runs a built-in key as itself, another profile by its analyzer parameter, else as a meeting', () => {
    expect(analyzerProfileOf({ key: 'talk', parameters: { analyzer: 'tasks' } })).toBe('talk');
    expect(analyzerProfileOf({ key: 'sales-call', parameters: { analyzer: 'tasks' } })).toBe('tasks');
    expect(analyzerProfileOf({ key: 'sales-call', parameters: { analyzer: 'gpt' } })).toBe('meeting');
    expect(analyzerProfileOf({ key: 'sales-call', parameters: {} })).toBe('meeting');
  });
});
