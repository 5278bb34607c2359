import { Segment, Speaker, UNKNOWN_SPEAKER_ID } from '../transcript';
import { Owner, TaskItem } from './analysis-result';
import { isDecision } from './decisions';
import { dueOf } from './due-date';
import { Found, Sentence, sentenceEvidence } from './sentences';
import { fluentText } from './spoken';

/** The owner name of work the whole team takes on ("we all", "each of you"). */
export const WHOLE_TEAM = 'all';

const NAME = "[\\p{Lu}][\\p{L}'’-]{1,30}(?: [\\p{Lu}][\\p{L}'’-]{1,30})?";
const LEAD_IN = String.raw`^(?:(?:ok(?:ay)?|sure|yes|yeah|fine|and|so|um|uh|then|now|well|right|alright|but)[,.]?\s+)*`;
// "I'll send it", "I will", "I'm going to", "let me": the speaker takes the task.
const SELF = new RegExp(
  `${LEAD_IN}(?:i'll|i will|i'm going to|i am going to|i'm gonna|i can take|let me|i'm supposed to|i am supposed to|i have to|i need to|i'll have to)\\s+`,
  'i',
);
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
const TAG_QUESTION = /[\s,]+(?:okay|ok|right|yeah|alright|all right|yes)\s*\?$/i;
const QUESTION_ABOUT_SELF = /^(?:should|shall|can|could) i\b/i;

// Spoken assignments inside a sentence: "you're gonna be working on", "you'll be thinking
// about", "you're supposed to", "if you can check", "the Industrial Designer will look at".
const YOU_ASSIGNED =
  /\byou(?:'re| are)? (?:(?:all |both |two |three )?(?:gonna|going to|supposed to|to)|'ll|will|(?:have|need) to|can|could) (?:be |also |just |then |now |please |still |have to )*(?:working|work|thinking|think|looking|look|doing|do|make|making|prepare|preparing|send|sending|check|checking|find|finding|try|trying|research|investigate|focus|focusing|concentrate|bring|draw|design|designing|come up|write|writing|get|give|add|keep|put|go back|contact|talk|ask|email|mail)\b/i;
const SELF_INSIDE =
  /\b(?:i'll|i will|i'm going to|i am going to|i'm gonna|i'm supposed to|i am supposed to)\s+(?:also |just |then |probably |try and |try to )*(?:send|mail|e-mail|email|write|put|prepare|look into|look at|check|find|work|make|bring|contact|talk to|ask|research|investigate|sort out|organise|organize|finish|update|come back|get back|do the|do some|have a look|think about|upload|circulate|forward|distribute)\b/i;
const WE_FIND =
  /\b(?:we'll|i'll) (?:find (?:that|it|this) out|look into (?:it|that|this)|check (?:on )?(?:that|it|this))\b/i;
// Work for after the meeting, spoken: the next meeting, the shared folder, the minutes.
const LATER =
  /\b(?:next (?:meeting|time|session|week|phase)|after (?:the|this) meeting|before the next|until (?:the )?next|by (?:the )?next|for the next|in between|inbetween|shared folder|project folder|shared drive|minutes|action item|homework|afterwards|e-?mail|a mail|later on|tomorrow|by friday|by monday)\b/i;
// Things done in the meeting itself, never taken away: slides, the board, the pen, notes.
const PROCEDURAL =
  /\b(?:show|showing|present|presenting|slide|slides|next one|go (?:on|ahead|back|through|to)|click|press|switch|plug|pass|hand me|sit|draw (?:it )?(?:now|here|on the board)|whiteboard|white board|take notes|taking notes|take (?:the )?minutes|taking (?:the )?minutes|take (?:the )?minutes now|write (?:it|that) (?:down|on)|explain|introduce|start with|in a minute|right now|the mouse|the laptop|the pen|the projector|the screen here|on the spot|see you|meet you|let me see|be your|talk about|speak about|get used to)\b|\bnow\s*[.!]?$/i;
const VAGUE =
  /\b(?:would be nice|it'd be nice|if you want|if you like|maybe we can|we could maybe|i wonder|i guess we could|hassle)\b/i;

export interface TaskContext {
  speakers: Speaker[];
  meetingDate: Date | null;
  /** Turns in transcript order, to find who was addressed and where the meeting ends. */
  segments?: readonly Segment[];
}

/** Every task, in transcript order. */
export function tasksOf(sentences: Sentence[], context: TaskContext): Found<TaskItem>[] {
  const tasks: Found<TaskItem>[] = [];
  const turnIndex = new Map((context.segments ?? []).map((segment, index) => [segment, index]));
  for (const sentence of sentences) {
    // "I will send you a mail, okay?" is a statement with a tag, not a question.
    const text = sentence.text.replace(/’/g, "'").replace(TAG_QUESTION, '.');
    if (isDecision(text) || QUESTION_ABOUT_SELF.test(text)) continue;
    const written = taskOf(text, sentence, context, turnIndex);
    if (written) {
      tasks.push({ sentence, item: written });
      continue;
    }
    for (const task of spokenTasksOf(text, sentence, context, turnIndex))
      tasks.push({ sentence, item: task });
  }
  return withoutRepeats(tasks);
}

/**
 * A task said twice ("I'll send you the minutes" early, again at the close) is listed once, at
 * its last and usually most explicit statement: same known owner, in other words, half or more
 * of the content words (and at least two) shared.
 */
function withoutRepeats(tasks: Found<TaskItem>[]): Found<TaskItem>[] {
  return tasks.filter(
    ({ sentence, item: task }, index) =>
      !tasks.slice(index + 1).some(({ sentence: later, item: other }) => {
        // Word-for-word repeats are separate statements (a recurring item), not a recap.
        if (!task.owner.resolved || other.owner.name !== task.owner.name || later.text === sentence.text)
          return false;
        if (later.segment === sentence.segment) return false;
        const terms = new Set(sentence.terms);
        const shared = new Set(later.terms.filter((term) => terms.has(term))).size;
        return shared >= Math.max(2, Math.min(terms.size, new Set(later.terms).size) / 2);
      }),
  );
}

/** Tasks as written in tidy notes: the sentence starts with the commitment or the assignment. */
function taskOf(
  text: string,
  sentence: Sentence,
  context: TaskContext,
  turnIndex: ReadonlyMap<Segment, number>,
): TaskItem | null {
  const self = SELF.exec(text);
  if (
    self &&
    !text.endsWith('?') &&
    !PROCEDURAL.test(text) &&
    !VAGUE.test(text) &&
    (LATER.test(text) || dueOf(text, null).phrase !== null || answersRequest(sentence, context, turnIndex))
  ) {
    return item(text.slice(self[0].length), sentence, speakerOwner(sentence.segment), context);
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
  if (
    nobody &&
    !text.endsWith('?') &&
    !PROCEDURAL.test(text) &&
    !VAGUE.test(text) &&
    (!/^we\b/i.test(text) || LATER.test(text) || dueOf(text, null).phrase !== null)
  )
    return item(text.slice(nobody[0].length), sentence, { name: null, resolved: false }, context);
  return null;
}

/**
 * Tasks as spoken in meetings: an assignment or commitment inside a longer sentence, taken
 * only with a sign that the work is for after the meeting (the next meeting, the minutes, the
 * shared folder) or when it closes the meeting. Owners: the roles named in the sentence
 * ("as the industrial designer, you're gonna ..."; one task each when several are named),
 * else the speaker for "I", the person addressed in the turn before for "you".
 */
function spokenTasksOf(
  text: string,
  sentence: Sentence,
  context: TaskContext,
  turnIndex: ReadonlyMap<Segment, number>,
): TaskItem[] {
  if (text.endsWith('?') || VAGUE.test(text) || PROCEDURAL.test(text)) return [];
  const turn = turnIndex.get(sentence.segment);
  const segments = context.segments ?? [];
  const closing = turn !== undefined && segments.length >= 20 && turn >= segments.length * 0.85;
  const roles = rolesNamed(text, context.speakers);
  const firm = FIRM_YOU.test(text);
  const you = YOU_ASSIGNED.test(text) || PLEASE_DO.test(text);
  const self = SELF_INSIDE.test(text);
  const rolesWill = roles.length > 0 && ROLE_WILL.test(text);
  const signed = LATER.test(text) || (closing && (firm || self || rolesWill || roles.length > 0));
  const team =
    /\b(?:you all|all of you|each of you|everyone|everybody|you three|you guys|all your|your all|action item)\b/i;
  const teamWork =
    team.test(text) && TEAM_WORK.test(text) && !/\b(?:welcome|thank|received|know)\b/i.test(text);
  if (!(
    WE_FIND.test(text) ||
    firm ||
    (signed && (you || self || rolesWill)) ||
    (LATER.test(text) && teamWork)
  )) {
    return [];
  }
  const action = fluentText(text).replace(/[.]$/, '');
  // A joint task ("the Industrial Designer and the User Interface Designer") is the first role's.
  const [role] = roles;
  if (role && (you || firm || rolesWill || ASK_ROLE.test(text)))
    return [item(action, sentence, { name: role, resolved: true }, context)];
  if (self || WE_FIND.test(text)) {
    const own = item(action, sentence, speakerOwner(sentence.segment), context);
    // "I'll send you the minutes, and please put your slides in the shared folder": two tasks.
    const asked = PLEASE_DO.test(text) && teamWork;
    return asked ? [own, item(action, sentence, { name: WHOLE_TEAM, resolved: true }, context)] : [own];
  }
  if (teamWork) return [item(action, sentence, { name: WHOLE_TEAM, resolved: true }, context)];
  return [item(action, sentence, addressedOwner(sentence.segment, turn, segments), context)];
}

// "You're gonna work on", "you'll be looking at": an assignment firm enough without a date.
const FIRM_YOU =
  /\byou(?:'re| are) (?:gonna|going to|supposed to) (?:be |also |just |then |have to )*(?:working|work|thinking|think|looking|look|doing|do|make|making|prepare|preparing|send|check|find|research|investigate|focus|concentrate|bring|design|designing|come up|write|give|add|keep|go back|contact)\b|\byou'll (?:be |also |just |then |have to )*(?:working|work|thinking|looking|prepare|preparing|send|check|find|research|investigate|focus|concentrate|bring|design|designing|come up|write|give|keep|go back|contact)\b|\bif you (?:can|could) (?:also |just |please )?(?:add|check|find|look into|prepare|send|work|make|research|investigate|contact)\b/i;
const ASK_ROLE = /\b(?:ask|asking|want|tell|need) (?:the |our |you, )?[\w ]{0,30}\bto\b/i;
const TEAM_WORK =
  /\b(?:put|send|mail|email|bring|prepare|check|read|fill|complete|look|work|find|think|research|upload|share|action item|decide)\b/i;
const PLEASE_DO =
  /\bplease (?:also |just )?(?:put|send|mail|email|bring|prepare|check|read|fill|complete|have a look|look into|upload|share)\b/i;

/** "I'll do it" after "Omar, can you profile ...?": the reply takes on what was asked. */
function answersRequest(
  sentence: Sentence,
  context: TaskContext,
  turnIndex: ReadonlyMap<Segment, number>,
): boolean {
  const turn = turnIndex.get(sentence.segment);
  const previous = turn === undefined ? undefined : context.segments?.[turn - 1];
  return (
    sentence.text.split(/\s+/).length <= 6 &&
    previous !== undefined &&
    previous.speakerId !== sentence.segment.speakerId &&
    /\b(?:can|could|would|will) you\b[^?]*\?/i.test(previous.text)
  );
}

const ROLE_WILL =
  /\b(?:designer|interface|marketing|manager|expert|executive)s?\b[^.?!]{0,40}\b(?:will|'ll|is going to|are going to|is gonna|are gonna|should|has to|have to|needs? to)\b/i;

/** Speakers whose label (a role such as "Industrial Designer", or a name) the sentence names. */
function rolesNamed(text: string, speakers: Speaker[]): string[] {
  const lower = text.toLowerCase().replace(/_/g, ' ');
  const found: { label: string; at: number }[] = [];
  for (const speaker of speakers) {
    if (speaker.id === UNKNOWN_SPEAKER_ID) continue;
    const label = speaker.label.toLowerCase();
    const at = new RegExp(`\\b${escaped(label)}\\b`).exec(lower)?.index;
    if (at !== undefined) found.push({ label: speaker.label, at });
  }
  return found.sort((a, b) => a.at - b.at).map(({ label }) => label);
}

function escaped(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

function speakerOwner(segment: Segment): Owner {
  const known = segment.speakerId !== UNKNOWN_SPEAKER_ID;
  return { name: known ? segment.speakerLabel : null, resolved: known };
}

/** "You" is the last other speaker before this turn (the one being answered or addressed). */
function addressedOwner(segment: Segment, turn: number | undefined, segments: readonly Segment[]): Owner {
  if (turn === undefined || segment.speakerId === UNKNOWN_SPEAKER_ID) return { name: null, resolved: false };
  for (let at = turn - 1; at >= Math.max(0, turn - 3); at--) {
    const other = segments[at];
    if (other && other.speakerId !== segment.speakerId && other.speakerId !== UNKNOWN_SPEAKER_ID) {
      return { name: other.speakerLabel, resolved: true };
    }
  }
  return { name: null, resolved: false };
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
