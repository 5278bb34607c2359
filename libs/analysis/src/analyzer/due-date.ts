import * as chrono from 'chrono-node';
import { Due } from './analysis-result';

// Any fixed instant works to find the phrase; dates are only given for a known meeting date.
const PHRASE_REFERENCE = new Date('2000-01-05T12:00:00Z');
const LEAD = /\b(by|before|until|no later than|on|due)\s+$/i;

/** The due phrase in a task sentence and, when the meeting date is known, its date. */
export function dueOf(text: string, meetingDate: Date | null): Due {
  const reference = meetingDate ?? PHRASE_REFERENCE;
  const [found] = chrono.parse(text, { instant: reference, timezone: 0 }, { forwardDate: true });
  if (!found) return { phrase: null, date: null };
  const lead = LEAD.exec(text.slice(0, found.index))?.[0] ?? '';
  return {
    phrase: `${lead}${found.text}`,
    date: meetingDate ? found.start.date().toISOString().slice(0, 10) : null,
  };
}

/** `YYYY-MM-DD` (or a full ISO time, of which the date counts) to noon UTC of that day. */
export function meetingDateOf(value: string | undefined): Date | null {
  if (value === undefined) return null;
  const day = /^(\d{4}-\d{2}-\d{2})(?:T.*)?$/.exec(value.trim())?.[1];
  const date = day ? new Date(`${day}T12:00:00Z`) : null;
  if (!date || Number.isNaN(date.getTime()) || date.toISOString().slice(0, 10) !== day) {
    throw new RangeError(`meetingDate must be a date like 2024-03-04, not "${value.slice(0, 40)}"`);
  }
  return date;
}
