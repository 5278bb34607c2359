/**
 * Fixed word lists of the quality harness, kept here rather than taken from the analyzer or a
 * package, so the yardstick does not move when either changes. A topic label made only of
 * these words names no topic ("two", "mm-hmm", "we've", "something").
 */

/** English function words (articles, pronouns and their contractions, auxiliaries, prepositions, conjunctions). */
export const STOP_WORDS: ReadonlySet<string> = new Set(
  `a about above after again against all am an and any are aren't as at be because been before being
  below between both but by can can't cannot could couldn't did didn't do does doesn't doing don't down
  during each few for from further had hadn't has hasn't have haven't having he he'd he'll he's her here
  here's hers herself him himself his how how's i i'd i'll i'm i've if in into is isn't it it's its itself
  let's me more most mustn't my myself no nor not of off on once only or other ought our ours ourselves
  out over own same shan't she she'd she'll she's should shouldn't so some such than that that's the
  their theirs them themselves then there there's these they they'd they'll they're they've this those
  through to too under until up very was wasn't we we'd we'll we're we've were weren't what what's when
  when's where where's which while who who's whom why why's with won't would wouldn't you you'd you'll
  you're you've your yours yourself yourselves also just will shall may might must us it'll that'll
  there'll gonna wanna gotta something anything everything nothing someone anyone everyone somebody
  anybody everybody thing things stuff way lot bit kind sort like get got go going goes went gone make
  made say said says see think know mean want need let put take come really actually basically probably
  maybe perhaps quite rather pretty much many well even still yet already now then again ever never
  always sometimes often here there today tomorrow yesterday`.split(/\s+/),
);

/** Hesitations and discourse fillers of spoken English. */
export const FILLERS: ReadonlySet<string> = new Set(
  `um umm uh uhh uh-huh huh hmm hm mm mmm mm-hmm mhm er erm ah aha oh ooh eh ha haha hah whoa wow yep
  yup yeah yes no nope nah okay ok alright right sure fine cool great good well so anyway anyways like
  sorry please thanks thank hello hi hey bye`.split(/\s+/),
);

/** Acknowledgements a listener says while another speaks. */
export const BACKCHANNELS: ReadonlySet<string> = new Set(
  `mm-hmm uh-huh mhm yeah yep yes right okay ok sure exactly true indeed absolutely definitely totally
  agreed correct cool nice great alright gotcha i see`.split(/\s+/),
);

export const NUMBER_WORDS: ReadonlySet<string> = new Set(
  `zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen sixteen
  seventeen eighteen nineteen twenty thirty forty fifty sixty seventy eighty ninety hundred thousand
  million billion first second third fourth fifth sixth seventh eighth ninth tenth half once twice
  dozen couple several`.split(/\s+/),
);

/** Any of the lists above, or digits: a word that names nothing on its own. */
export function isEmptyWord(word: string): boolean {
  const lower = word.toLowerCase().replace(/’/g, "'");
  return (
    /^[\d.,%]+$/.test(lower) ||
    STOP_WORDS.has(lower) ||
    FILLERS.has(lower) ||
    BACKCHANNELS.has(lower) ||
    NUMBER_WORDS.has(lower)
  );
}
