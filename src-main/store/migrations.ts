import type BetterSqlite3 from 'better-sqlite3'

export interface Migration {
  version: number
  description: string
  sql: string
}

/** Append only: a released migration is never edited; `user_version` records the last applied. */
export const MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    description: 'sessions',
    sql: `
      CREATE TABLE sessions (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        name TEXT NOT NULL CHECK (length(name) BETWEEN 1 AND 120),
        created_at TEXT NOT NULL,
        updated_at TEXT NOT NULL
      ) STRICT;
    `,
  },
]

export const SCHEMA_VERSION = MIGRATIONS.at(-1)?.version ?? 0

/** Applies every migration newer than `from`, each in its own transaction with its version bump. */
export function migrate(db: BetterSqlite3.Database, from: number): void {
  for (const migration of MIGRATIONS) {
    if (migration.version <= from) continue
    db.transaction(() => {
      db.exec(migration.sql)
      db.pragma(`user_version = ${migration.version}`)
    })()
  }
}
