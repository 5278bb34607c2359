import { Speaker, UNKNOWN_SPEAKER_ID } from '../transcript';
import { Owner, TaskItem } from './analysis-result';
import { isDecision } from './decisions';
import { dueOf } from './due-date';
import { Found, Sentence, sentenceEvidence } from './sentences';

const NAME = "[\\p{Lu}][\\p{L}'’-]{1,30}(?: [\\p{Lu}][\\p{L}'’-]{1,30})?";
// "I'll send it", "I will", "I'm going to", "let me": the speaker takes the task.
const SELF =
  /^(?:(?:ok(?:ay)?|sure|yes|yeah|fine|and|so),?\s+)*(?:i'll|i will|i'm going to|i am going to|i can take|let me)\s+/i;
// "Ana, please send", "Ana, can you send", "Ana, you'll send": the person addressed.
const ADDRESSED_FIRST = new RegExp(
  `^(${NAME}),\\s+(?:please|can you|could you|would you|will you|you'll|you will)\\s+`,
  'u',
);
// "Can you, Bob, send", "Could you please, Bob, send".
const ADDRESSED_INSIDE = new RegExp(
  `^(?:[Cc]an|[Cc]ould|[Ww]ould|[Ww]ill) you(?: please)?,\\s+(${NAME}),\\s+`,
  'u',
);
// "Please send ... , Ana." at the end.
const ADDRESSED_LAST = new RegExp(`^[Pp]lease\\s+.+,\\s+(${NAME})[.!?]?$`, 'u');
// Work that somebody must do, nobody named.
const NOBODY = /^(?:someone|somebody|we)\s+(?:needs? to|should|has to|have to|must)\s+/i;
const QUESTION_ABOUT_SELF = /^(?:should|shall|can|could) i\b/i;

export interface TaskContext {
  speakers: Speaker[];
  meetingDate: Date | null;
}

/** Every task, in transcript order. */
export function tasksOf(sentences: Sentence[], context: TaskContext): Found<TaskItem>[] {
  const tasks: Found<TaskItem>[] = [];
  for (const sentence of sentences) {
    const text = sentence.text.replace(/’/g, "'");
    if (isDecision(text) || QUESTION_ABOUT_SELF.test(text)) continue;
    const task = taskOf(text, sentence, context);
    if (task) tasks.push({ sentence, item: task });
  }
  return tasks;
}

function taskOf(text: string, sentence: Sentence, context: TaskContext): TaskItem | null {
  const self = SELF.exec(text);
  if (self && !text.endsWith('?')) {
    const speaker = sentence.segment.speakerId === UNKNOWN_SPEAKER_ID ? null : sentence.segment.speakerLabel;
    return item(text.slice(self[0].length), sentence, { name: speaker, resolved: speaker !== null }, context);
  }
  for (const pattern of [ADDRESSED_FIRST, ADDRESSED_INSIDE, ADDRESSED_LAST]) {
    const match = pattern.exec(text);
    if (match?.[1]) {
      const rest =
        pattern === ADDRESSED_LAST
          ? text.replace(/^please\s+/i, '').replace(/,\s+[^,]+$/, '')
          : text.slice(match[0].length);
      return item(rest, sentence, ownerNamed(match[1], context.speakers), context);
    }
  }
  const nobody = NOBODY.exec(text);
  if (nobody && !text.endsWith('?'))
    return item(text.slice(nobody[0].length), sentence, { name: null, resolved: false }, context);
  return null;
}

function item(action: string, sentence: Sentence, owner: Owner, context: TaskContext): TaskItem {
  const trimmed = action.trim().replace(/[?!.]+$/, '');
  return {
    text: `${trimmed.charAt(0).toLocaleUpperCase('en')}${trimmed.slice(1)}.`,
    owner,
    due: dueOf(sentence.text, context.meetingDate),
    evidence: sentenceEvidence(sentence),
  };
}

/** A named owner counts only when the name is one speaker's full or unique first name. */
function ownerNamed(name: string, speakers: Speaker[]): Owner {
  const wanted = name.toLocaleLowerCase('en');
  const named = speakers.filter((speaker) => speaker.id !== UNKNOWN_SPEAKER_ID);
  const exact = named.filter((speaker) => speaker.label.toLocaleLowerCase('en') === wanted);
  const byFirstName = named.filter(
    (speaker) => speaker.label.toLocaleLowerCase('en').split(' ')[0] === wanted,
  );
  const [match] = exact.length === 1 ? exact : byFirstName.length === 1 ? byFirstName : [];
  return match ? { name: match.label, resolved: true } : { name: null, resolved: false };
}
