import { type Kysely, sql, SqliteAdapter } from 'kysely';

// Names and titles saved before direction controls were removed on input lose them now
// (U+202A–U+202E, U+2066–U+2069): the rule holds for old rows as for new ones.
const controls = [0x202a, 0x202b, 0x202c, 0x202d, 0x202e, 0x2066, 0x2067, 0x2068, 0x2069];
const columns: [table: string, column: string][] = [
  ['groups', 'name'],
  ['groups', 'city'],
  ['groups', 'questions'],
  ['group_tags', 'label'],
  ['threads', 'title'],
  ['search_documents', 'title'],
];

export async function up(db: Kysely<any>): Promise<void> {
  const charFn = db.getExecutor().adapter instanceof SqliteAdapter ? 'char' : 'chr';
  for (const [table, column] of columns) {
    let stripped = sql.ref(column) as ReturnType<typeof sql>;
    for (const code of controls) stripped = sql`replace(${stripped}, ${sql.raw(`${charFn}(${code})`)}, '')`;
    await sql`update ${sql.table(table)} set ${sql.ref(column)} = ${stripped} where ${sql.ref(column)} <> ${stripped}`.execute(
      db,
    );
  }
}

export async function down(): Promise<void> {
  // Nothing to undo: the removed characters carried no meaning worth restoring.
}
