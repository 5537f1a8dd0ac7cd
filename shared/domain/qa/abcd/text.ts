/**
 * Word-sequence matching for ABCD mentions (brand, product, call to action) in supers and speech.
 *
 * Texts are compared as sequences of normalised words, so punctuation, case, accents, line breaks and possessives
 * do not hide a mention: "LUMEN COFFEE'S new can!" mentions "Lumen Coffee". With `plurals`, simple plurals match
 * too ("cold brew can" in "Cold-brew cans"); brand names are matched without it, so "Lumen" is not in "Lumens".
 * A phrase never matches part of a word.
 */

export interface MatchOptions {
  /** Also match a word's simple plural or singular (for products and calls to action, not brand names). */
  plurals?: boolean;
}

/** Where a phrase occurs in a list of words: the index of its first word and how many words it spans. */
export interface WordMatch {
  start: number;
  length: number;
}

const APOSTROPHE = "['\u2019\u02bc]";
const POSSESSIVE = new RegExp(`(?<=[\\p{L}\\p{N}])${APOSTROPHE}s(?![\\p{L}\\p{N}])`, 'gu');
const INNER_APOSTROPHE = new RegExp(`(?<=\\p{L})${APOSTROPHE}(?=\\p{L})`, 'gu');

/** Folds a plural to its singular, well enough to match "cans" with "can" and "glasses" with "glass". */
function singular(word: string): string {
  if (/^\p{N}/u.test(word) || word.length <= 3) return word;
  if (word.length > 4 && word.endsWith('ies')) return `${word.slice(0, -3)}y`;
  if (word.length > 4 && /(ss|x|z|ch|sh)es$/u.test(word)) return word.slice(0, -2);
  if (word.endsWith('s') && !/(ss|us|is)$/u.test(word)) return word.slice(0, -1);
  return word;
}

/** Lower-case words with accents, punctuation and possessive 's dropped. */
export function normalisedWords(text: string): string[] {
  const folded = text
    .normalize('NFKD')
    .replace(/\p{Mn}/gu, '')
    .normalize('NFC')
    .toLowerCase()
    .replace(POSSESSIVE, '')
    .replace(INNER_APOSTROPHE, '')
    .replace(/&/gu, ' and ');
  return folded.match(/[\p{L}\p{N}%$€£]+/gu) ?? [];
}

/**
 * Every occurrence of `phrase` in `words` (both already normalised), in order. A phrase of several words also
 * matches the same words run together ("LumenCoffee", "#lumencoffee"). An empty phrase matches nothing.
 */
export function findPhrase(words: readonly string[], phrase: readonly string[], options: MatchOptions = {}): WordMatch[] {
  if (phrase.length === 0) return [];
  const fold = options.plurals === true ? singular : (word: string) => word;
  const hay = words.map(fold);
  const needle = phrase.map(fold);
  const matches: WordMatch[] = [];
  const compact = phrase.length > 1 ? fold(phrase.join('')) : null;
  for (let i = 0; i < hay.length; i++) {
    if (i + needle.length <= hay.length && needle.every((word, j) => hay[i + j] === word)) {
      matches.push({ start: i, length: needle.length });
    } else if (compact !== null && hay[i] === compact) {
      matches.push({ start: i, length: 1 });
    }
  }
  return matches;
}

/** Whether `text` mentions `phrase` as a whole word sequence. */
export function mentions(text: string, phrase: string, options: MatchOptions = {}): boolean {
  return findPhrase(normalisedWords(text), normalisedWords(phrase), options).length > 0;
}
