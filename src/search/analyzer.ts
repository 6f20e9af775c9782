import { stemmer } from 'stemmer';

/**
 * Text analysis for search, done in the application so SQLite and PostgreSQL index exactly the
 * same terms. Every word yields its normalised surface form and a stem: a match on the surface
 * form ranks above a match on the stem alone, so exact and closer forms come first.
 */

const arabicDiacritics = /[\u0610-\u061A\u064B-\u065F\u0670\u06D6-\u06DC\u06DF-\u06E8\u06EA-\u06ED]/g;
const invisible = /[\u0640\u200B-\u200F\u202A-\u202E\u2066-\u2069\uFEFF]/g; // tatweel, joiners, direction marks
const arabicLetter = /\p{Script=Arabic}/u;

/** Spelling variants people type interchangeably, folded to one form. */
export function normalise(text: string): string {
  return (
    text
      .normalize('NFKC')
      .replace(arabicDiacritics, '')
      .replace(invisible, '')
      .replace(/[\u0622\u0623\u0625\u0671\u0672\u0673]/g, '\u0627') // آ أ إ ٱ → ا
      .replace(/\u0624/g, '\u0648') // ؤ → و
      .replace(/\u0626/g, '\u064A') // ئ → ي
      .replace(/[\u0649\u06CC\u06D2]/g, '\u064A') // ى, Persian ی, ے → ي
      .replace(/\u0629/g, '\u0647') // ة → ه
      .replace(/[\u06A9\u06AA]/g, '\u0643') // Persian ک → ك
      .replace(/[\u0660-\u0669]/g, (d) => String(d.charCodeAt(0) - 0x0660))
      .replace(/[\u06F0-\u06F9]/g, (d) => String(d.charCodeAt(0) - 0x06f0))
      // Remaining combining marks (Latin accents: é → e); Arabic letters were mapped above already.
      .normalize('NFD')
      .replace(/\p{M}/gu, '')
      .normalize('NFC')
      .toLowerCase()
  );
}

export function tokenize(normalised: string): string[] {
  return normalised.match(/[\p{L}\p{N}]+/gu) ?? [];
}

// Proclitics, longest first: conjunction + preposition + article combinations, then the article.
const articlePrefixes = ['وبال', 'وكال', 'فبال', 'ولل', 'فلل', 'وال', 'فال', 'بال', 'كال', 'لل', 'ال'];
// Single-letter prepositions are stripped only from long words: بيت, كتاب, لبنان keep their first letter.
const prepositions = ['ب', 'ل', 'ك'];
const conjunctions = ['و', 'ف'];
// Attached pronouns. A bare ي or ك is not stripped: مثلي must not become مثل.
const pronouns = ['هما', 'كما', 'هم', 'هن', 'كم', 'كن', 'نا', 'ها'];
// Taa marbuta, written ت before a pronoun: عائلتي, عائلتهم.
const taaPronouns = ['تهما', 'تكما', 'تهم', 'تهن', 'تكم', 'تكن', 'تنا', 'تها', 'تي', 'ته', 'تك'];
// Plural, dual and feminine endings (ة is already folded to ه).
const endings: [string, number][] = [
  ['ات', 3],
  ['ون', 3],
  ['ين', 3],
  ['ان', 4],
  ['ه', 3],
];

const minimumStem = 3;

/**
 * Bumped whenever the analyser's output changes for some word: indexes built by an older version
 * are rebuilt at start (`reindexIfAnalyserChanged` in service.ts, ADR 0033).
 */
export const analyserVersion = 2;

/*
 * Defective nouns (الاسم المنقوص) lose their final ي in the indefinite nominative and genitive
 * (محامٍ, typed محام) and keep it elsewhere (المحامي, محاميًا); their sound plurals drop it too
 * (المحامين → محام). A final ي comes off only in the shapes these nouns take, never from any
 * word: most words ending in ي are nisba adjectives or carry the pronoun ي (مثلي, وطني, جنسي),
 * and stripping it everywhere, as Lucene's light stemmer does, makes مثلي "like" and سني "tooth".
 */
const defectiveShapes = [
  /^[^ا]ا[^ا]ي$/, // فاعٍ: قاضي, ماضي, نادي, باقي
  /^[^ا]{2}ا[^ا]ي$/, // مفاعٍ, فواعٍ, فعالٍ: محامي, معاني, نوادي, ليالي
  /^م[^ا]ت[^ا]ي$/, // مفتعٍ: معتدي, مشتري
  /^مت[^ا]ا[^ا]ي$/, // متفاعٍ: متعافي, متساوي
];
// Words of those shapes whose ي is not a defective noun's and whose shorter form is another word.
const notDefective = new Set(['عادي']);

const hasDefectiveShape = (word: string) => defectiveShapes.some((shape) => shape.test(word));

/** محامي, محاميا (محاميًا) → محام, the form the indefinite and the plurals already share. */
function stripDefectiveYeh(stem: string): string {
  // The accusative's tanween is written on an alef: محاميًا, قاضيًا (and عاديًا, which keeps its ي).
  const word = stem.endsWith('يا') && hasDefectiveShape(stem.slice(0, -1)) ? stem.slice(0, -1) : stem;
  return hasDefectiveShape(word) && !notDefective.has(word) ? word.slice(0, -1) : word;
}

function stripPrefix(word: string): string {
  for (const prefix of articlePrefixes) {
    if (word.startsWith(prefix) && word.length - prefix.length >= 2) return word.slice(prefix.length);
  }
  // و and ف begin many words (وطن, فلسطين); only a long word loses one.
  for (const conjunction of conjunctions) {
    if (word.startsWith(conjunction) && word.length - 1 >= 4) return stripPreposition(word.slice(1));
  }
  return stripPreposition(word);
}

function stripPreposition(word: string): string {
  for (const preposition of prepositions) {
    if (word.startsWith(preposition) && word.length - 1 >= 5) return word.slice(1);
  }
  return word;
}

function stripSuffixes(word: string): string {
  let stem = word;
  for (const suffix of taaPronouns) {
    const rest = stem.length - suffix.length;
    // ...اتهم is a plural with a pronoun, not a taa marbuta: leave it to the passes below.
    if (stem.endsWith(suffix) && rest >= minimumStem && stem[rest - 1] !== 'ا') return stem.slice(0, rest);
  }
  for (const suffix of pronouns) {
    if (stem.endsWith(suffix) && stem.length - suffix.length >= minimumStem) {
      stem = stem.slice(0, -suffix.length);
      break;
    }
  }
  for (const [suffix, minimum] of endings) {
    if (stem.endsWith(suffix) && stem.length - suffix.length >= minimum) return stem.slice(0, -suffix.length);
  }
  return stem;
}

/**
 * A light stem for a normalised Arabic word: clitics and inflectional endings come off, the
 * pattern inside the word stays. Light stemming conflates far less than root extraction, which
 * would make المثليين and مثل ("like") one word.
 */
export function arabicStem(word: string): string {
  if (word.length <= minimumStem) return word;
  return stripDefectiveYeh(stripSuffixes(stripPrefix(word)));
}

export interface AnalysedWord {
  surface: string;
  stem: string;
}

export function analyseWord(word: string): AnalysedWord {
  const stem = arabicLetter.test(word) ? arabicStem(word) : /^\p{L}+$/u.test(word) ? stemmer(word) : word;
  return { surface: word, stem };
}

/** All words of a text, normalised, each with its stem. */
export function analyse(text: string): AnalysedWord[] {
  return tokenize(normalise(text)).map(analyseWord);
}
