import { describe, expect, it } from 'vitest';
import { parseStatus } from './job-events';
import { SseParser } from './sse-parser';

describe('SseParser', () => {
  it('reads named events with JSON data and skips heartbeat comments', () => {
    const parser = new SseParser();
    const events = parser.push(
      ': heartbeat\n\nevent: status\ndata: {"job_id":"j1","status":"running","attempt":1,"at":"t"}\n\n',
    );
    expect(events).toEqual([
      { event: 'status', data: '{"job_id":"j1","status":"running","attempt":1,"at":"t"}' },
    ]);
  });

  it('completes events split across chunks at any point, CRLF included', () => {
    const text = 'event: status\r\ndata: {"a":1}\r\n\r\nevent: status\r\ndata: {"a":2}\r\n\r\n';
    for (let cut = 1; cut < text.length; cut++) {
      const parser = new SseParser();
      const events = [...parser.push(text.slice(0, cut)), ...parser.push(text.slice(cut))];
      expect(events.map((event) => event.data)).toEqual(['{"a":1}', '{"a":2}']);
    }
  });

  it('joins several data lines, defaults the name to message, keeps the last id, and drops data-less events', () => {
    const parser = new SseParser();
    const events = parser.push('id: 7\ndata: one\ndata:two\n\nevent: ping\n\ndata\n\n');
    expect(events).toEqual([
      { event: 'message', data: 'one\ntwo', id: '7' },
      { event: 'message', data: '', id: '7' },
    ]);
  });

  it('holds an unfinished event until its blank line arrives', () => {
    const parser = new SseParser();
    expect(parser.push('event: status\ndata: {"x":1}\n')).toEqual([]);
    expect(parser.push('\n')).toEqual([{ event: 'status', data: '{"x":1}' }]);
  });

  it('accepts lone CR line ends', () => {
    const parser = new SseParser();
    expect(parser.push('data: a\r\rdata: b\r')).toEqual([{ event: 'message', data: 'a' }]);
    expect(parser.push('\r')).toEqual([{ event: 'message', data: 'b' }]);
  });
});

describe('parseStatus', () => {
  it('accepts a status event and ignores malformed data', () => {
    expect(
      parseStatus('{"job_id":"j1","status":"completed","attempt":1,"at":"2026-01-01T00:00:00Z"}'),
    ).toEqual({
      job_id: 'j1',
      status: 'completed',
      attempt: 1,
      at: '2026-01-01T00:00:00Z',
    });
    expect(parseStatus('not json')).toBeUndefined();
    expect(parseStatus('{"status":"running"}')).toBeUndefined();
  });
});
