import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { createTestRuntime, type TestRuntime } from '../../test/support/runtime.js';
import { indexDocument, removeDocument, search, type SearchContext } from './service.js';

// A shared corpus, run on SQLite and on PostgreSQL: the same query must give the same hits.
const corpus: [id: string, title: string, body: string, scope?: string][] = [
  ['a1', 'مجموعة دعم للمثليين', 'نلتقي كل أسبوع لنتحدث عن حياة المثليين والمثليات في المدينة.'],
  ['a2', 'مثل شعبي', 'يقول المثل: الصديق وقت الضيق. هذا مثل جميل.'],
  ['a3', 'الإفصاح لعائلتي', 'كيف أخبرت عائلتي بأنني مثلي، وماذا قال أبي.'],
  ['a4', 'العائلات المختارة', 'عائلاتهم رفضتهم فبنوا عائلة جديدة من الأصدقاء.'],
  ['a5', 'شبكة الأمان', 'الشبكات غير الرسمية تحمينا. انضم إلى الشبكة.'],
  ['a6', 'Coming out to my family', 'Families can take time. My parents needed a year.'],
  ['a7', 'Queer parenting network', 'A network of LGBTQ parents sharing advice about schools.'],
  ['a8', 'الصحة النفسية', 'طبيبة نفسية ودودة في القاهرة تستقبل المثليين بلا أحكام.'],
  ['a9', 'مساعدة قانونية', 'محامون متطوعون يقدمون المساعدة القانونية مجانًا.'],
  ['a10', 'الإيمان والهوية', 'مسلمون ومسلمات يتحدثون عن الإيمان والهوية الجنسية.'],
  ['a11', 'سكن طارئ', 'نبحث عن سكن مؤقت لشاب طردته عائلته.'],
  ['a12', 'Mental health support', 'A friendly therapist who listens without judgement.'],
  ['a13', 'العمل والتمييز', 'تعرضت للتمييز في العمل بسبب هويتي.'],
  ['a14', 'مستشفى صديق', 'المستشفى في الحي الشرقي يعامل الجميع باحترام.'],
  ['a15', 'تطبيق المواعدة', 'احذروا من حسابات الشرطة المزيفة في تطبيقات المواعدة.'],
  ['a16', 'سنة ٢٠٢٦', 'لقاء المجتمع في عام ٢٠٢٦ في بيروت.'],
  ['a17', 'قصتي', 'أَنَا مُسْلِمَةٌ وَمِثْلِيَّةٌ'],
  ['a18', 'Transition resources', 'Information about transition, hormones and legal name changes.'],
  ['a19', 'كتب مفيدة', 'كتاب عن تاريخ المجتمع الكويري في العالم العربي.'],
  ['a20', 'سر المجموعة الخاصة', 'المثليين في مجموعة خاصة', 'group-private'],
  ['a21', 'الأمهات', 'أمهات يدعمن أبناءهن المثليين.'],
  ['a22', 'بيت آمن', 'بيت للإقامة القصيرة.'],
  ['a23', 'Faith and family', 'Finding peace between faith and family.'],
  ['a24', 'الأمن الرقمي', 'كيف تحمي هاتفك من التفتيش.'],
  ['a25', 'Café queer', 'Un café accueillant pour les personnes queer.'],
  ['a26', 'أبحث عن محامٍ', 'أحتاج محامٍ يفهم قضايا الأحوال الشخصية.'],
  ['a27', 'محام في عمّان', 'هل يعرف أحد محام متعاون؟'],
  ['a28', 'تجربتي مع المحامي', 'كان المحامي صادقًا معي.'],
  ['a29', 'توكيل', 'وكّلت محاميًا بعد الجلسة الأولى.'],
  ['a30', 'أمام القاضي', 'ماذا أقول إذا سألني القاضي عن هاتفي؟'],
  ['a31', 'حكم', 'حكم قاضٍ بالبراءة.'],
  ['a32', 'عاد إلى البيت', 'عاد صديقي في سن العشرين إلى عائلته.'],
  ['a33', 'يوم عادي', 'كان يومًا عاديًا. قلبي كلي معكم، صديقي سني وأنا طالب ذكي.'],
];

// query → documents it must find, and documents it must not.
const queries: [query: string, hits: string[], nonHits: string[]][] = [
  ['المثليين', ['a1', 'a8', 'a21'], ['a2', 'a20']],
  ['للمثليين', ['a1', 'a8', 'a21'], ['a2']],
  ['والمثليون', ['a1', 'a8', 'a21'], ['a2']],
  ['المثليات', ['a1', 'a8', 'a21'], ['a2']],
  ['مثل', ['a2'], ['a1', 'a8', 'a21', 'a3']],
  ['عائلة', ['a3', 'a4', 'a11'], ['a6']],
  ['العائلة', ['a3', 'a4', 'a11'], ['a6']],
  ['بعائلتي', ['a3', 'a4', 'a11'], []],
  ['عائلاتهم', ['a3', 'a4', 'a11'], []],
  ['شبكة', ['a5'], ['a7']],
  ['الشبكات', ['a5'], ['a7']],
  ['والشبكة', ['a5'], []],
  ['family', ['a6', 'a23'], ['a3', 'a4']],
  ['families', ['a6', 'a23'], []],
  ['parents', ['a6', 'a7'], []],
  ['network', ['a7'], ['a5']],
  ['networks', ['a7'], ['a5']],
  ['مسلمة', ['a10', 'a17'], []],
  ['المسلمين', ['a10', 'a17'], []],
  ['مُسْلِمَةٌ', ['a10', 'a17'], []],
  ['مثلية', ['a17', 'a3'], ['a2']],
  ['مستشفى', ['a14'], []],
  ['المستشفي', ['a14'], []],
  ['2026', ['a16'], []],
  ['٢٠٢٦', ['a16'], []],
  ['۲۰۲۶', ['a16'], []],
  ['therapist', ['a12'], ['a8']],
  ['طبيبة نفسية', ['a8'], ['a12']],
  ['النفسية', ['a8'], []],
  ['القانونية', ['a9'], []],
  ['محامون', ['a9'], []],
  ['الشرطة', ['a15'], []],
  ['تطبيقات', ['a15'], []],
  ['الإيمان', ['a10'], []],
  ['ايمان', ['a10'], []],
  ['faith', ['a23'], ['a10']],
  ['transition', ['a18'], []],
  ['hormone', ['a18'], []],
  ['كتاب', ['a19'], ['a22']],
  ['بيت', ['a22'], ['a19']],
  ['سكن', ['a11'], []],
  ['العمل', ['a13'], []],
  ['التمييز', ['a13'], []],
  ['الامهات', ['a21'], ['a3']],
  ['أمهات', ['a21'], []],
  ['الأمن', ['a24'], ['a5']],
  ['هاتفك', ['a24'], []],
  ['schools', ['a7'], []],
  ['المثليين عائلة', ['a3'], ['a1', 'a11']],
  ['queer', ['a7', 'a25'], ['a19']],
  ['cafe', ['a25'], []],
  ['LGBTQ', ['a7'], []],
  // Defective nouns: every written form of محامٍ and قاضٍ finds the others.
  ['محامي', ['a9', 'a26', 'a27', 'a28', 'a29'], ['a30']],
  ['محامٍ', ['a9', 'a26', 'a27', 'a28', 'a29'], []],
  ['محاميًا', ['a9', 'a26', 'a27', 'a28', 'a29'], []],
  ['المحامين', ['a9', 'a26', 'a27', 'a28', 'a29'], []],
  ['محام', ['a9', 'a26', 'a27', 'a28', 'a29'], []],
  ['القاضي', ['a30', 'a31'], ['a28']],
  ['قاض', ['a30', 'a31'], []],
  // ...and a final ي stays where stripping it would make another word.
  ['عادي', ['a33'], ['a32']],
  ['عاد', ['a32'], ['a33']],
  ['سني', ['a33'], ['a32']],
  ['كلي', ['a33'], ['a1', 'a16']],
  ['ذكي', ['a33'], []],
  ['قضايا', ['a26'], []],
];

let rt: TestRuntime;
let ctx: SearchContext;
const scopes = ['public'];

before(async () => {
  rt = await createTestRuntime();
  ctx = { db: rt.ctx.db, engine: rt.ctx.engine };
  for (const [id, title, body, scope] of corpus) {
    await indexDocument(ctx, { kind: 'post', refId: id, scope: scope ?? 'public', title, body, createdAt: Date.now() });
  }
});
after(async () => rt.close());

const hitIds = async (query: string, within = scopes) =>
  (await search(ctx, { query, scopes: within, limit: 100 })).map((h) => h.refId);

test(`the shared corpus holds at least 50 queries`, () => {
  assert.ok(queries.length >= 50);
});

for (const [query, hits, nonHits] of queries) {
  test(`search "${query}"`, async () => {
    const found = await hitIds(query);
    for (const id of hits) assert.ok(found.includes(id), `"${query}" should find ${id}; found ${found.join(', ')}`);
    for (const id of nonHits) assert.ok(!found.includes(id), `"${query}" must not find ${id}`);
  });
}

test('exact forms rank above forms that only share the stem', async () => {
  const found = await hitIds('المثليات');
  assert.equal(found[0], 'a1', found.join(', '));
  const family = await hitIds('families');
  assert.equal(family[0], 'a6', family.join(', '));
});

test('nothing outside the searcher’s scopes, and nothing at all without scopes', async () => {
  assert.ok(!(await hitIds('المثليين')).includes('a20'));
  assert.ok((await hitIds('المثليين', ['public', 'group-private'])).includes('a20'));
  assert.deepEqual(await hitIds('المثليين', []), []);
  assert.deepEqual(await hitIds('  ؟؟ ... ', scopes), []);
});

test('removed documents are gone from results', async () => {
  await indexDocument(ctx, {
    kind: 'post',
    refId: 'gone',
    scope: 'public',
    title: 'مؤقت',
    body: 'كلمة_فريدة_جدا',
    createdAt: Date.now(),
  });
  assert.deepEqual(await hitIds('كلمة_فريدة_جدا'), ['gone']);
  await removeDocument(ctx, 'post', 'gone');
  assert.deepEqual(await hitIds('كلمة_فريدة_جدا'), []);
});

test('results carry a snippet with the matching words marked', async () => {
  const [hit] = await search(ctx, { query: 'عائلاتهم', scopes, kinds: ['post'], limit: 1 });
  assert.ok(hit);
  const marked = hit.snippet.filter((p) => p.match).map((p) => p.text);
  assert.ok(marked.length > 0, JSON.stringify(hit.snippet));
  assert.equal(
    hit.snippet
      .map((p) => p.text)
      .join('')
      .replace(/^… | …$/g, '').length > 0,
    true,
  );
});
