import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parse, TYPE, type MessageFormatElement } from '@formatjs/icu-messageformat-parser';
import { catalogFiles as loadCatalogFiles } from './catalogs.js';
import { translator } from './index.js';
import { loadCatalogs } from './catalogs.js';

// Arabic never assumes the reader's gender (ADR 0037, docs/glossary-ar.md): where no choice is known
// it uses plural or neutral forms (a masdar, the passive, the plural); a member's chosen form comes
// through `{address, select, masculine {…} feminine {…} other {…}}`, whose masculine and feminine
// branches are the only places the gendered singular may appear.

const catalogFiles = await loadCatalogFiles();

/** Masculine singular imperatives addressing the reader, spelt without vowel marks but with damma and shadda. */
const masculineImperatives = new Set(
  (
    'اخرج ادخل اختر أدخل اكتب انتقل اذهب اضغط راجع حاول انتظر ارجع أعد املأ استخدم استعمل ضع أنشئ احذف ' +
    'اعرف اقرأ ابحث ألغ احفظ اجعل انسخ شارك حدد حدّد سلّم تحقق تحقّق اطلب عيّن تابع ابدأ انشر انضم اقتبس عدّل أخف ' +
    'أظهر احظر أوقف أعلمني اطو افصل اطرح اسمح غادر أرسل اسحب أجب اقبل ارفض أزل ارفع افتح جرب جرّب ' +
    'اقفل امسح خذ أخبر تصفح تصفّح غيّر سجّل علّم ' +
    'اعتن علم أضف اسأل تذكر اعلم انظر'
  ).split(' '),
);

/** Second-person masculine singular verbs and pronouns that are not imperatives. */
const masculineSecondPerson = new Set(
  (
    'أنت لست كنت فعلت كتبت حفظت فقدت استخدمت طلبت سجّلت اقتبستها انضممت غادرت دُعيت قُبلت ذُكرت حُظرت تجد تشارك ' +
    'تصل تحتاجه تستطيع تستطيعه تعرف تعرفه تتحدث تتعلم تريد ترى تثق تفتحها تحذفها تختار تنتمي تنضم ' +
    'تلتقيا تستخدمه تدخل تقرأ تردّ ترد تبدأ تتجاوز تضع تخمين'
  ).split(' '),
);

/** Words whose final kaf belongs to the word, not a second-person pronoun. */
const kafInTheStem = new Set(
  'ذلك لذلك بذلك كذلك يملك تملك يشارك يُشارك تلك هناك هنالك أولئك مالك المالك ملك الملك مشترك المشترك شبك الشبك ترك تحرك سلوك'.split(
    ' ',
  ),
);

/** Messages that may keep a match, each with the reason it is not addressing the reader in the masculine. */
const allowed: Record<string, string> = {
  'discussions.pseudonym': 'names of plants given to anonymous authors, not words addressing anyone',
};

// Vowel marks go, but damma and shadda stay: they tell «سُجّل» (was signed out) from «سجّل» (sign out!)
// and «غيّر» (change!) from «غير» (not).
const diacritics = /[\u064B-\u064E\u0650\u0652-\u065F\u0670\u0640]/g;
const arabicWords = /[\u0621-\u065F\u0670-\u06D3]+/g;

/** Text the reader sees whoever they are: everything but the gendered branches of an `address` select. */
function neutralText(elements: MessageFormatElement[]): string {
  let text = '';
  for (const element of elements) {
    if (element.type === TYPE.literal) text += element.value;
    else if (element.type === TYPE.select || element.type === TYPE.plural) {
      for (const [option, branch] of Object.entries(element.options)) {
        if (element.type === TYPE.select && element.value === 'address' && option !== 'other') continue;
        text += ` ${neutralText(branch.value)} `;
      }
    } else if (element.type === TYPE.tag) text += neutralText(element.children);
  }
  return text;
}

/** What in one Arabic message assumes a masculine reader. */
export function masculineForms(source: string): string[] {
  const found: string[] = [];
  const text = neutralText(parse(source, { ignoreTag: true })).replace(diacritics, '');
  for (const word of text.match(arabicWords) ?? []) {
    // A leading و or ف (and, so) joins the word it precedes: «وحاول», «فسجل».
    const bare = /^[وف]/.test(word) && word.length > 3 ? word.slice(1) : word;
    const candidates = [word, bare];
    if (candidates.some((c) => masculineImperatives.has(c) || masculineSecondPerson.has(c))) found.push(word);
    // The pronoun ـك (your, you) on a noun, verb or preposition: لك، حسابك، يُخرجك، عليك.
    else if (word.length >= 2 && word.endsWith('ك') && !candidates.some((c) => kafInTheStem.has(c))) found.push(word);
  }
  return [...new Set(found)];
}

test('the checker finds the masculine singular and lets plural, neutral and chosen forms through', () => {
  assert.deepEqual(masculineForms('اخرج من هذه الصفحة'), ['اخرج']);
  assert.deepEqual(masculineForms('زر يُخرجك من سند'), ['يُخرجك']);
  assert.deepEqual(masculineForms('هذا لك'), ['لك']);
  assert.deepEqual(masculineForms('فسجّل الخروج'), ['فسجّل']);
  assert.deepEqual(masculineForms('أدخل رمز الدعوة'), ['أدخل']);
  assert.deepEqual(masculineForms('الخروج من هذه الصفحة'), []);
  assert.deepEqual(masculineForms('إدخال رمز الدعوة. ذلك كل شيء، وهناك المالك.'), []);
  assert.deepEqual(masculineForms('اختاروا اسمًا لحسابكم'), []);
  assert.deepEqual(
    masculineForms('{address, select, masculine {اختر} feminine {اختاري} other {اختيار}} اسم'),
    [],
    'the gendered branches of the member’s own choice are theirs',
  );
  assert.deepEqual(masculineForms('{address, select, masculine {اختر} feminine {اختاري} other {اختر}}'), ['اختر']);
  assert.deepEqual(masculineForms('{count, plural, one {اختر واحدًا} other {اختر #}}'), ['اختر']);
});

for (const [name, { ar }] of Object.entries(catalogFiles)) {
  test(`catalog "${name}": Arabic addresses the reader without assuming a gender`, () => {
    const problems: string[] = [];
    for (const [key, source] of Object.entries(ar as Record<string, string>)) {
      const forms = masculineForms(source);
      if (forms.length && !(key in allowed)) problems.push(`${key}: ${forms.join('، ')}`);
    }
    assert.deepEqual(problems, []);
  });
}

test('every allowed message exists and still needs its exception', () => {
  const all = Object.assign({}, ...Object.values(catalogFiles).map((files) => files.ar)) as Record<string, string>;
  for (const [key, reason] of Object.entries(allowed)) {
    assert.ok(reason.length > 10, `${key} says why it is allowed`);
    assert.ok(key in all, `${key} is allowed but no catalogue has it`);
  }
});

test('every message receives the reader’s form of address, neutral unless chosen', async () => {
  await loadCatalogs();
  const neutral = translator('ar')('account.address.done');
  const feminine = translator('ar', 'feminine')('account.address.done');
  const masculine = translator('ar', 'masculine')('account.address.done');
  assert.equal(new Set([neutral, feminine, masculine]).size, 3);
  assert.equal(translator('ar', 'neutral')('account.address.done'), neutral);
  // The quick exit reads the same for everyone: it must reveal nothing about who is reading.
  const exits = (['neutral', 'feminine', 'masculine'] as const).map((form) =>
    translator('ar', form)('quickExit.button'),
  );
  assert.equal(new Set(exits).size, 1);
});
