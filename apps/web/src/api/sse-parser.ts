/** One server-sent event, as the text/event-stream format defines it. */
export interface SseEvent {
  event: string;
  data: string;
  id?: string;
}

/**
 * An incremental text/event-stream parser (the WHATWG rules): feed it chunks as they arrive,
 * in any split, and it returns the events completed by each. Lines end in LF, CR or CRLF;
 * `:` lines are comments (heartbeats); several `data` lines join with LF; an event without
 * data is not dispatched; the event name defaults to `message`.
 */
export class SseParser {
  private buffer = '';
  private data: string[] = [];
  private eventName = '';
  private lastEventId: string | undefined;
  private pendingCr = false;

  push(chunk: string): SseEvent[] {
    let text = chunk;
    // A CR ended the previous chunk: an LF starting this one belongs to the same line end.
    if (this.pendingCr && text.startsWith('\n')) text = text.slice(1);
    this.pendingCr = false;
    this.buffer += text;
    const events: SseEvent[] = [];
    let start = 0;
    for (let index = 0; index < this.buffer.length; index++) {
      const char = this.buffer[index];
      if (char !== '\n' && char !== '\r') continue;
      const line = this.buffer.slice(start, index);
      if (char === '\r') {
        if (index + 1 < this.buffer.length) {
          if (this.buffer[index + 1] === '\n') index++;
        } else {
          this.pendingCr = true;
        }
      }
      start = index + 1;
      const event = this.line(line);
      if (event) events.push(event);
    }
    this.buffer = this.buffer.slice(start);
    return events;
  }

  private line(line: string): SseEvent | undefined {
    if (line === '') return this.dispatch();
    if (line.startsWith(':')) return undefined;
    const colon = line.indexOf(':');
    const field = colon < 0 ? line : line.slice(0, colon);
    let value = colon < 0 ? '' : line.slice(colon + 1);
    if (value.startsWith(' ')) value = value.slice(1);
    if (field === 'data') this.data.push(value);
    else if (field === 'event') this.eventName = value;
    else if (field === 'id' && !value.includes('\u0000')) this.lastEventId = value;
    return undefined;
  }

  private dispatch(): SseEvent | undefined {
    const data = this.data;
    const eventName = this.eventName;
    this.data = [];
    this.eventName = '';
    if (data.length === 0) return undefined;
    return {
      event: eventName || 'message',
      data: data.join('\n'),
      ...(this.lastEventId === undefined ? {} : { id: this.lastEventId }),
    };
  }
}
