import type BetterSqlite3 from 'better-sqlite3'
import { encodeChunks, type BootRecordRow } from './log-chunks'

export interface Migration {
  version: number
  description: string
  sql: string
  /** What SQL alone cannot do, run after `sql` in the same transaction. */
  run?: (db: BetterSqlite3.Database) => void
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
  {
    version: 6,
    description:
      'session events in order, and the profile and kernel snapshots they refer to by content hash',
    sql: `
      CREATE TABLE snapshots (
        hash TEXT PRIMARY KEY,
        kind TEXT NOT NULL CHECK (kind IN ('profile', 'kernel')),
        name TEXT NOT NULL,
        body BLOB NOT NULL
      ) STRICT;
      CREATE TABLE session_snapshots (
        session_id INTEGER NOT NULL REFERENCES sessions(id) ON DELETE CASCADE,
        hash TEXT NOT NULL REFERENCES snapshots(hash),
        PRIMARY KEY (session_id, hash)
      ) STRICT, WITHOUT ROWID;
      CREATE INDEX session_snapshots_by_hash ON session_snapshots (hash);
      -- A snapshot is kept as long as a session refers to it.
      CREATE TRIGGER snapshots_unreferenced AFTER DELETE ON session_snapshots
        WHEN NOT EXISTS (SELECT 1 FROM session_snapshots WHERE hash = OLD.hash)
        BEGIN DELETE FROM snapshots WHERE hash = OLD.hash; END;
      CREATE TABLE session_events (
        session_id INTEGER NOT NULL REFERENCES sessions(id) ON DELETE CASCADE,
        seq INTEGER NOT NULL,
        kind TEXT NOT NULL,
        engine_version TEXT NOT NULL,
        action TEXT NOT NULL,
        result TEXT NOT NULL,
        boot_id INTEGER REFERENCES boots(id) ON DELETE CASCADE,
        created_at TEXT NOT NULL,
        PRIMARY KEY (session_id, seq)
      ) STRICT, WITHOUT ROWID;
      -- Boots and shell commands recorded before events existed become the first events of
      -- their sessions, in the order they were made (a boot, then the commands typed into it).
      INSERT INTO session_events (session_id, seq, kind, engine_version, action, result, boot_id, created_at)
      SELECT session_id, row_number() OVER (PARTITION BY session_id ORDER BY boot_id, command) - 1,
             kind, engine_version, action, result, boot_id, created_at
      FROM (
        SELECT b.session_id, b.id AS boot_id, -1 AS command, 'boot' AS kind, b.engine_version,
               json_object('profile', b.profile, 'kernel', b.kernel, 'cmdline', b.cmdline,
                 'seed', b.seed, 'faults', json(b.faults), 'series', json('[]'),
                 'config', json('{}')) AS action,
               json_object('outcome', b.outcome, 'records',
                 (SELECT COUNT(*) FROM boot_records r WHERE r.boot_id = b.id
                    AND r.seq < coalesce((SELECT MIN(first_record) FROM shell_commands c
                      WHERE c.boot_id = b.id AND c.record_count > 0), 1e18))) AS result,
               b.created_at
        FROM boots b
        UNION ALL
        SELECT b.session_id, b.id, c.seq, 'shell', b.engine_version,
               json_object('command', c.command, 'via', 'shell'),
               json_object('stdout', c.stdout, 'stderr', c.stderr, 'exitCode', c.exit_code,
                 'firstRecord', c.first_record, 'recordCount', c.record_count),
               b.created_at
        FROM shell_commands c JOIN boots b ON b.id = c.boot_id
      );
    `,
  },
  {
    version: 7,
    description: "a boot's kernel log in chunks of records, a row per chunk instead of per record",
    sql: `
      CREATE TABLE boot_log (
        boot_id INTEGER NOT NULL REFERENCES boots(id) ON DELETE CASCADE,
        first_seq INTEGER NOT NULL,
        last_seq INTEGER NOT NULL,
        record_count INTEGER NOT NULL CHECK (record_count > 0),
        seqs BLOB,
        timestamps BLOB NOT NULL,
        levels BLOB NOT NULL,
        texts TEXT NOT NULL,
        devices TEXT,
        UNIQUE (boot_id, first_seq)
      ) STRICT;
    `,
    run: (db) => {
      const insert = db.prepare(
        `INSERT INTO boot_log (boot_id, first_seq, last_seq, record_count, seqs, timestamps, levels, texts, devices)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      )
      const boots = db.prepare('SELECT DISTINCT boot_id FROM boot_records').pluck().all()
      const records = db.prepare<[number], BootRecordRow & { device: string | null }>(
        `SELECT seq, timestamp_ns AS timestampNs, level, text, device FROM boot_records
         WHERE boot_id = ? ORDER BY seq`,
      )
      for (const bootId of boots as number[]) {
        const rows = records
          .all(bootId)
          .map(({ device, ...row }) => (device ? { ...row, device } : row))
        for (const c of encodeChunks(rows))
          insert.run(
            bootId,
            c.firstSeq,
            c.lastSeq,
            c.recordCount,
            c.seqs,
            c.timestamps,
            c.levels,
            c.texts,
            c.devices,
          )
      }
      db.exec('DROP TABLE boot_records')
    },
  },
]

export const SCHEMA_VERSION = MIGRATIONS.at(-1)?.version ?? 0

/** Applies every migration newer than `from`, each in its own transaction with its version bump. */
export function migrate(db: BetterSqlite3.Database, from: number): void {
  for (const migration of MIGRATIONS) {
    if (migration.version <= from) continue
    db.transaction(() => {
      db.exec(migration.sql)
      migration.run?.(db)
      db.pragma(`user_version = ${migration.version}`)
    })()
  }
}
