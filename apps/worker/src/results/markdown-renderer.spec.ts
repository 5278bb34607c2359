import { escapeMarkdown, readableTime, readableTimesOf, renderMarkdown } from './markdown-renderer';

describe('escapeMarkdown', () => {
  it('backslash-escapes emphasis, code, links, HTML, table pipes and entities', () => {
    expect(escapeMarkdown('*a* _b_ `c` [d](e) <script> | f & g ~h~ \\')).toBe(
      '\\*a\\* \\_b\\_ \\`c\\` \\[d\\](e) \\<script\\> \\| f \\& g \\~h\\~ \\\\',
    );
  });

  it('keeps a value that starts a line from becoming a heading, list item or quote', () => {
    expect(escapeMarkdown('# Title')).toBe('\\# Title');
    expect(escapeMarkdown('- item')).toBe('\\- item');
    expect(escapeMarkdown('+ item')).toBe('\\+ item');
    expect(escapeMarkdown('12. item')).toBe('12\\. item');
    expect(escapeMarkdown('> quote')).toBe('\\> quote');
  });

  it('joins lines, so a value cannot break the list item or table row it sits in', () => {
    expect(escapeMarkdown('one\ntwo\r\nthree')).toBe('one two three');
  });

  it('prints numbers and leaves plain text alone', () => {
    expect(escapeMarkdown(85.7)).toBe('85.7');
    expect(escapeMarkdown("We'll ship on April 15, as agreed.")).toBe("We'll ship on April 15, as agreed.");
  });
});

describe('renderMarkdown', () => {
  it('renders sections and escapes values for Markdown, not HTML', () => {
    const markdown = renderMarkdown('{{#items}}- {{text}} ({{n}})\n{{/items}}', {
      items: [{ text: 'Use <b> & *stars*', n: 2 }],
    });
    expect(markdown).toBe('- Use \\<b\\> \\& \\*stars\\* (2)\n');
  });

  it('gives the same text for the same template and view', () => {
    const view = { a: [{ text: 'x' }, { text: 'y' }] };
    expect(renderMarkdown('{{#a}}{{text}}{{/a}}', view)).toBe(renderMarkdown('{{#a}}{{text}}{{/a}}', view));
  });
});

describe('escapeMarkdown of text that only looks like markers', () => {
  it('leaves numbers with decimals and hyphenated words alone', () => {
    expect(escapeMarkdown('3.5 percent')).toBe('3.5 percent');
    expect(escapeMarkdown('-5 degrees and #hashtags')).toBe('-5 degrees and #hashtags');
  });
});

describe('readable times', () => {
  it('shows mm:ss under an hour and h:mm:ss from an hour on, whole seconds rounded down', () => {
    expect(readableTime(0)).toBe('00:00');
    expect(readableTime(13_999)).toBe('00:13');
    expect(readableTime(725_000)).toBe('12:05');
    expect(readableTime(3_599_999)).toBe('59:59');
    expect(readableTime(3_600_000)).toBe('1:00:00');
    expect(readableTime(37_230_000)).toBe('10:20:30');
  });

  it('gives evidence an `at` and speaker rows a `talk_time`, leaving the results as they were', () => {
    const results = {
      decisions: [{ text: 'Ship.', evidence: [{ start_ms: 725_000, quote: 'Ship.' }] }],
      speaker_statistics: [{ speaker: 'Ana', talk_time_ms: 3_725_000 }],
      custom: [{ start_ms: 1000, at: 'the start' }],
    };
    const before = JSON.stringify(results);

    expect(readableTimesOf(results)).toEqual({
      decisions: [{ text: 'Ship.', evidence: [{ start_ms: 725_000, at: '12:05', quote: 'Ship.' }] }],
      speaker_statistics: [{ speaker: 'Ana', talk_time_ms: 3_725_000, talk_time: '1:02:05' }],
      custom: [{ start_ms: 1000, at: 'the start' }],
    });
    expect(JSON.stringify(results)).toBe(before);
  });

  it('lets a template show them', () => {
    const view = {
      decisions: [{ text: 'Ship.', evidence: [{ speaker: 'Ana', start_ms: 75_500, quote: 'Ship.' }] }],
    };
    expect(
      renderMarkdown(
        '{{#decisions}}- {{text}}{{#evidence}} ({{speaker}}, {{at}}){{/evidence}}\n{{/decisions}}',
        view,
      ),
    ).toBe('- Ship. (Ana, 01:15)\n');
  });
});
