import { closeSync, existsSync, mkdirSync, openSync, readSync, rmSync, statSync } from 'node:fs'
import { join } from 'node:path'
import Database from 'better-sqlite3'
import { migrate, SCHEMA_VERSION } from './migrations'
import { createBootsRepository, type BootsRepository } from './boots-repository'
import { createProfilesRepository, type ProfilesRepository } from './profiles-repository'
import { createSessionsRepository, type SessionsRepository } from './sessions-repository'
import { createEventsRepository, type EventsRepository } from './events-repository'

export const DATABASE_FILE_NAME = 'modlab.db'
const SQLITE_HEADER = Buffer.from('SQLite format 3\0', 'latin1')

/** The database cannot be used; the message names the file and why. Nothing was written to it. */
export class StoreError extends Error {
  constructor(
    readonly file: string,
    problem: string,
  ) {
    super(`${file}: ${problem}`)
    this.name = 'StoreError'
  }
}

export interface StoreOptions {
  /** A better-sqlite3 addon built for another ABI (Electron's), see scripts/electron-native.mjs. */
  nativeBinding?: string
  now?: () => Date
}

export interface Store {
  file: string
  schemaVersion: number
  sessions: SessionsRepository
  boots: BootsRepository
  profiles: ProfilesRepository
  events: EventsRepository
  /** Runs `work` in one transaction: all of it is stored, or none. */
  transaction<T>(work: () => T): T
  close(): void
}

/**
 * Opens (or creates) `<dataDir>/modlab.db`: WAL, foreign keys on, migrated to the latest schema.
 * A file that is not SQLite, is corrupt, or comes from a newer modlab is refused before anything
 * is written: it is examined on a read-only connection first, which cannot checkpoint a WAL
 * another modlab left behind.
 */
export function openStore(dataDir: string, options: StoreOptions = {}): Store {
  const file = join(dataDir, DATABASE_FILE_NAME)
  try {
    mkdirSync(dataDir, { recursive: true })
  } catch (error) {
    throw new StoreError(dataDir, `cannot create the data directory (${describe(error)})`)
  }
  const binding = options.nativeBinding ? { nativeBinding: options.nativeBinding } : {}
  const version = refuseForeignFile(file) ? examine(file, binding) : 0

  let db: Database.Database
  try {
    db = new Database(file, binding)
  } catch (error) {
    throw openFailure(file, error)
  }
  try {
    db.pragma('journal_mode = WAL')
    db.pragma('foreign_keys = ON')
    db.pragma('busy_timeout = 5000')
    migrate(db, version)
  } catch (error) {
    db.close()
    throw error instanceof StoreError ? error : openFailure(file, error)
  }
  return {
    file,
    schemaVersion: SCHEMA_VERSION,
    sessions: createSessionsRepository(db, options.now),
    boots: createBootsRepository(db, options.now),
    profiles: createProfilesRepository(db, options.now),
    events: createEventsRepository(db, options.now),
    transaction: (work) => db.transaction(work)(),
    close: () => db.close(),
  }
}

/** True when there is a database to examine; throws when the file is not SQLite. */
function refuseForeignFile(file: string): boolean {
  let size: number
  try {
    const stat = statSync(file)
    if (!stat.isFile())
      throw new StoreError(file, 'exists but is not a regular file; refusing to use it')
    size = stat.size
  } catch (error) {
    if (error instanceof StoreError) throw error
    return false // absent: a new database will be created
  }
  if (size === 0) return false // SQLite treats an empty file as an empty database
  const header = Buffer.alloc(SQLITE_HEADER.length)
  let fd: number
  try {
    fd = openSync(file, 'r')
  } catch (error) {
    throw openFailure(file, error)
  }
  try {
    readSync(fd, header, 0, header.length, 0)
  } finally {
    closeSync(fd)
  }
  if (!header.equals(SQLITE_HEADER)) {
    throw new StoreError(
      file,
      'is not a SQLite database; refusing to open it (the file was left untouched)',
    )
  }
  return true
}

/**
 * The schema version of an existing database, read on a read-only connection after
 * `PRAGMA quick_check` has found every page sound: a file a crash or a bad disk damaged is
 * refused at open, with what SQLite found, rather than failing later in the middle of a session.
 */
function examine(file: string, binding: { nativeBinding?: string }): number {
  // A read-only connection to a WAL database makes its -wal and -shm files when they are missing.
  const sidecars = [`${file}-wal`, `${file}-shm`].filter((path) => !existsSync(path))
  const leaveUntouched = () => {
    for (const path of sidecars) rmSync(path, { force: true })
  }
  let db: Database.Database
  try {
    db = new Database(file, { ...binding, readonly: true, fileMustExist: true })
  } catch (error) {
    leaveUntouched()
    throw openFailure(file, error)
  }
  try {
    db.prepare('SELECT count(*) FROM sqlite_schema').pluck().get()
    quickCheck(file, db)
    const version = db.pragma('user_version', { simple: true }) as number
    if (version > SCHEMA_VERSION) {
      throw new StoreError(
        file,
        `was written by a newer modlab (schema ${version}; this modlab knows up to ${SCHEMA_VERSION}); refusing to open it`,
      )
    }
    return version
  } catch (error) {
    db.close()
    leaveUntouched()
    throw error instanceof StoreError ? error : openFailure(file, error)
  } finally {
    if (db.open) db.close()
  }
}

/** Every page read and checked: what SQLite finds (or throws on) is named. */
function quickCheck(file: string, db: Database.Database): void {
  let found: string[]
  try {
    found = (db.pragma('quick_check(4)') as { quick_check: string }[]).map((row) => row.quick_check)
  } catch (error) {
    throw corrupt(file, `PRAGMA quick_check: ${describe(error)}`)
  }
  if (found.join() !== 'ok')
    throw corrupt(
      file,
      `PRAGMA quick_check: ${found.filter((line) => !line.startsWith('***')).join('; ')}`,
    )
}

const corrupt = (file: string, why: string) =>
  new StoreError(file, `is corrupt (${why}); refusing to open it (the file was left untouched)`)

/** SQLite's and the system's reasons told apart: a read-only file is not a corrupt one. */
export function openFailure(file: string, error: unknown): StoreError {
  const code = String((error as { code?: unknown }).code ?? '')
  if (/^SQLITE_(READONLY|CANTOPEN|PERM|AUTH)|^(EACCES|EPERM|EROFS)$/.test(code)) {
    return new StoreError(
      file,
      `is not writable (${describe(error)}); modlab needs to write to its database and the folder that holds it (check their permissions)`,
    )
  }
  if (/^SQLITE_(CORRUPT|NOTADB)/.test(code)) return corrupt(file, describe(error))
  return new StoreError(file, `cannot open the database (${describe(error)})`)
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error)
}
