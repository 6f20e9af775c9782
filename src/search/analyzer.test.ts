import assert from 'node:assert/strict';
import { test } from 'node:test';
import { analyse, arabicStem, normalise } from './analyzer.js';

const stemOf = (word: string) => {
  const words = analyse(word);
  assert.equal(words.length, 1, word);
  return words[0]!.stem;
};

test('normalisation folds what people type interchangeably', () => {
  assert.equal(normalise('مُسْلِمَةٌ'), 'مسلمه', 'tashkeel and taa marbuta');
  assert.equal(normalise('العـــائلة'), 'العايله', 'tatweel, hamza seat on yeh');
  assert.equal(normalise('أإآٱ'), 'اااا', 'alef forms');
  assert.equal(normalise('مؤتمر'), 'موتمر', 'hamza on waw');
  assert.equal(normalise('مستشفى'), 'مستشفي', 'alef maqsura');
  assert.equal(normalise('کتاب ی'), 'كتاب ي', 'Persian keheh and yeh');
  assert.equal(normalise('٢٠٢٦ ۱۴'), '2026 14', 'Arabic-Indic and Persian digits');
  assert.equal(normalise('ﻻ'), 'لا', 'presentation forms');
  assert.equal(normalise('Queer\u200F'), 'queer', 'case and direction marks');
});

test('the forms the issue names find one another', () => {
  const groups = [
    ['المثليين', 'للمثليين', 'والمثليون', 'المثليات', 'مثليين', 'المثلية'],
    ['عائلة', 'العائلة', 'بعائلتي', 'عائلاتهم', 'عائلتها', 'والعائلة'],
    ['شبكة', 'الشبكات', 'والشبكة', 'شبكتنا'],
    ['مسلمة', 'المسلمين', 'مسلمون', 'للمسلمات'],
  ];
  for (const group of groups) {
    const stems = new Set(group.map(stemOf));
    assert.equal(stems.size, 1, `${group.join(' ')} → ${[...stems].join(' ')}`);
  }
});

test('precision: light stems do not conflate words that only share letters', () => {
  assert.notEqual(stemOf('المثليين'), stemOf('مثل'), 'Snowball maps both to مثل ("like")');
  assert.notEqual(stemOf('مثلي'), stemOf('مثل'));
  assert.notEqual(stemOf('امثال'), stemOf('المثليين'));
  for (const word of ['بيت', 'كتاب', 'لبنان', 'وطني', 'وطن', 'انسان', 'كيف', 'دين', 'فهم']) {
    assert.equal(stemOf(word), normalise(word), `${word} keeps its letters`);
  }
});

test('defective nouns: the forms with and without their final ي, with tanween and in the plural, are one word', () => {
  const groups = [
    ['محامي', 'محامٍ', 'محاميًا', 'المحامين', 'محام', 'المحامي', 'المحامون', 'للمحامي', 'محاميها', 'المحاميات'],
    ['القاضي', 'قاض', 'قاضٍ', 'قاضيًا', 'والقاضي', 'القاضية'],
    ['المعاني', 'معانٍ', 'معان'],
    ['الليالي', 'ليالٍ'],
    ['المعتدي', 'معتدٍ', 'معتدين'],
    ['المتعافي', 'متعافٍ', 'متعافين'],
    ['عادي', 'عاديًا', 'عادية'],
  ];
  for (const group of groups) {
    const stems = new Set(group.map(stemOf));
    assert.equal(stems.size, 1, `${group.join(' ')} → ${[...stems].join(' ')}`);
  }
});

test('precision: a final ي stays on words that are not defective nouns', () => {
  // Lucene's light stemmer takes any final ي: these would become كل, سن, عرب, جنس, مثل, ذك, نب.
  for (const word of ['كلي', 'سني', 'عربي', 'جنسي', 'مثلي', 'وطني', 'ذكي', 'نبي', 'أي', 'كويري', 'أماني', 'عادي']) {
    assert.equal(stemOf(word), normalise(word), `${word} keeps its ي`);
  }
  // An alef after ي is an accusative only on a defective noun.
  for (const word of ['سوريا', 'قضايا', 'هدايا', 'بقايا', 'تركيا']) assert.equal(stemOf(word), normalise(word), word);
  assert.notEqual(stemOf('عادي'), stemOf('عاد'), '"normal" is not "returned"');
});

test('surface forms are kept beside stems, so exact forms can rank first', () => {
  assert.deepEqual(analyse('للمثليين'), [{ surface: 'للمثليين', stem: 'مثلي' }]);
  assert.deepEqual(analyse('بعائلتي'), [{ surface: 'بعايلتي', stem: 'عايل' }]);
});

test('English words are stemmed, numbers and mixed text pass through', () => {
  assert.equal(stemOf('families'), stemOf('family'));
  assert.equal(stemOf('Parenting'), stemOf('parents'));
  assert.equal(stemOf('networks'), 'network');
  assert.deepEqual(
    analyse('Coming out لعائلتي in 2026').map((w) => w.stem),
    ['come', 'out', 'عايل', 'in', '2026'],
  );
});

test('short words are left alone', () => {
  for (const word of ['ال', 'و', 'هم', 'من', 'في']) assert.equal(arabicStem(normalise(word)), normalise(word));
});
