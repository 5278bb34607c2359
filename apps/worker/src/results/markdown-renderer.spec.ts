import { escapeMarkdown, renderMarkdown } from './markdown-renderer';

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
