import { closeSync, mkdirSync, openSync, readSync, statSync } from 'node:fs'
import { join } from 'node:path'
import Database from 'better-sqlite3'
import { migrate, SCHEMA_VERSION } from './migrations'
import { createBootsRepository, type BootsRepository } from './boots-repository'
import { createProfilesRepository, type ProfilesRepository } from './profiles-repository'
import { createSessionsRepository, type SessionsRepository } from './sessions-repository'

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
  close(): void
}

/**
 * Opens (or creates) `<dataDir>/modlab.db`: WAL, foreign keys on, migrated to the latest schema.
 * A file that is not SQLite, is corrupt, or comes from a newer modlab is refused before anything is written.
 */
export function openStore(dataDir: string, options: StoreOptions = {}): Store {
  const file = join(dataDir, DATABASE_FILE_NAME)
  try {
    mkdirSync(dataDir, { recursive: true })
  } catch (error) {
    throw new StoreError(dataDir, `cannot create the data directory (${describe(error)})`)
  }
  refuseForeignFile(file)

  let db: Database.Database
  try {
    db = new Database(file, options.nativeBinding ? { nativeBinding: options.nativeBinding } : {})
  } catch (error) {
    throw new StoreError(file, `cannot open the database (${describe(error)})`)
  }
  try {
    const version = readSchemaVersion(db, file)
    db.pragma('journal_mode = WAL')
    db.pragma('foreign_keys = ON')
    db.pragma('busy_timeout = 5000')
    migrate(db, version)
  } catch (error) {
    db.close()
    throw error instanceof StoreError ? error : new StoreError(file, describe(error))
  }
  return {
    file,
    schemaVersion: SCHEMA_VERSION,
    sessions: createSessionsRepository(db, options.now),
    boots: createBootsRepository(db, options.now),
    profiles: createProfilesRepository(db, options.now),
    close: () => db.close(),
  }
}

function refuseForeignFile(file: string) {
  let size: number
  try {
    const stat = statSync(file)
    if (!stat.isFile())
      throw new StoreError(file, 'exists but is not a regular file; refusing to use it')
    size = stat.size
  } catch (error) {
    if (error instanceof StoreError) throw error
    return // absent: a new database will be created
  }
  if (size === 0) return // SQLite treats an empty file as an empty database
  const header = Buffer.alloc(SQLITE_HEADER.length)
  const fd = openSync(file, 'r')
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
}

function readSchemaVersion(db: Database.Database, file: string): number {
  let check: unknown
  try {
    check = db.pragma('quick_check', { simple: true })
  } catch (error) {
    throw new StoreError(
      file,
      `is corrupt (${describe(error)}); refusing to open it (the file was left untouched)`,
    )
  }
  if (check !== 'ok') {
    throw new StoreError(
      file,
      `is corrupt (${String(check)}); refusing to open it (the file was left untouched)`,
    )
  }
  const version = db.pragma('user_version', { simple: true }) as number
  if (version > SCHEMA_VERSION) {
    throw new StoreError(
      file,
      `was written by a newer modlab (schema ${version}; this modlab knows up to ${SCHEMA_VERSION}); refusing to open it`,
    )
  }
  return version
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error)
}
