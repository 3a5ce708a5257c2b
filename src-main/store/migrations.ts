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
  {
    version: 2,
    description: 'boots and their kernel log',
    sql: `
      CREATE TABLE boots (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        session_id INTEGER NOT NULL REFERENCES sessions(id) ON DELETE CASCADE,
        profile TEXT NOT NULL,
        kernel TEXT NOT NULL,
        cmdline TEXT NOT NULL,
        seed INTEGER NOT NULL,
        faults TEXT NOT NULL,
        engine_version TEXT NOT NULL,
        outcome TEXT NOT NULL,
        created_at TEXT NOT NULL
      ) STRICT;
      CREATE INDEX boots_by_session ON boots(session_id);
      CREATE TABLE boot_records (
        boot_id INTEGER NOT NULL REFERENCES boots(id) ON DELETE CASCADE,
        seq INTEGER NOT NULL,
        timestamp_ns INTEGER NOT NULL,
        level INTEGER NOT NULL,
        text TEXT NOT NULL,
        device TEXT,
        PRIMARY KEY (boot_id, seq)
      ) STRICT, WITHOUT ROWID;
    `,
  },
  {
    version: 3,
    description: 'imported device profiles',
    sql: `
      CREATE TABLE profiles (
        id TEXT PRIMARY KEY,
        name TEXT NOT NULL,
        description TEXT NOT NULL,
        bootargs TEXT NOT NULL,
        source_file TEXT NOT NULL,
        sha256 TEXT NOT NULL UNIQUE,
        dtb BLOB NOT NULL,
        created_at TEXT NOT NULL
      ) STRICT;
    `,
  },
  {
    version: 4,
    description: 'kernel shell commands run on a boot',
    sql: `
      CREATE TABLE shell_commands (
        boot_id INTEGER NOT NULL REFERENCES boots(id) ON DELETE CASCADE,
        seq INTEGER NOT NULL,
        command TEXT NOT NULL,
        stdout TEXT NOT NULL,
        stderr TEXT NOT NULL,
        exit_code INTEGER NOT NULL,
        first_record INTEGER NOT NULL,
        record_count INTEGER NOT NULL,
        PRIMARY KEY (boot_id, seq)
      ) STRICT, WITHOUT ROWID;
    `,
  },
  {
    version: 5,
    description:
      'editable profiles: source labels, an update time, and no one-blob-one-profile rule',
    sql: `
      CREATE TABLE profiles_v5 (
        id TEXT PRIMARY KEY,
        name TEXT NOT NULL,
        description TEXT NOT NULL,
        bootargs TEXT NOT NULL,
        source_file TEXT NOT NULL,
        sha256 TEXT NOT NULL,
        dtb BLOB NOT NULL,
        labels TEXT NOT NULL DEFAULT '{}',
        created_at TEXT NOT NULL,
        updated_at TEXT NOT NULL
      ) STRICT;
      INSERT INTO profiles_v5
        SELECT id, name, description, bootargs, source_file, sha256, dtb, '{}', created_at, created_at
        FROM profiles;
      DROP TABLE profiles;
      ALTER TABLE profiles_v5 RENAME TO profiles;
      CREATE INDEX profiles_sha256 ON profiles (sha256);
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
