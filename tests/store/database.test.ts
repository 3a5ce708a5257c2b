import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import Database from 'better-sqlite3'
import { describe, expect, it } from 'vitest'
import { DATABASE_FILE_NAME, openStore, StoreError } from '../../src-main/store/database'
import { SCHEMA_VERSION } from '../../src-main/store/migrations'
import { useTempDir } from './helpers'

const tempDir = useTempDir()

function expectRefusedAndUntouched(dir: string, problem: RegExp) {
  const file = join(dir, DATABASE_FILE_NAME)
  const before = readFileSync(file)
  const entriesBefore = readdirSync(dir).sort()
  expect(() => openStore(dir)).toThrow(StoreError)
  expect(() => openStore(dir)).toThrow(problem)
  expect(readFileSync(file).equals(before)).toBe(true)
  expect(readdirSync(dir).sort()).toEqual(entriesBefore)
}

describe('openStore', () => {
  it('creates a migrated database in WAL mode with foreign keys on', () => {
    const dir = join(tempDir(), 'nested', 'data')
    const store = openStore(dir)
    store.close()
    const db = new Database(join(dir, DATABASE_FILE_NAME))
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal')
    expect(db.pragma('user_version', { simple: true })).toBe(SCHEMA_VERSION)
    db.close()
    const reopened = openStore(dir)
    expect(reopened.schemaVersion).toBe(SCHEMA_VERSION)
    reopened.close()
  })

  it('keeps what was saved across reopening', () => {
    const dir = tempDir()
    const first = openStore(dir)
    first.sessions.create('kept')
    first.close()
    const second = openStore(dir)
    expect(second.sessions.list().map((s) => s.name)).toEqual(['kept'])
    second.close()
  })

  it('treats an empty file as a new database', () => {
    const dir = tempDir()
    writeFileSync(join(dir, DATABASE_FILE_NAME), '')
    const store = openStore(dir)
    expect(store.sessions.list()).toEqual([])
    store.close()
  })

  it('refuses a file that is not SQLite and leaves it untouched', () => {
    const dir = tempDir()
    writeFileSync(join(dir, DATABASE_FILE_NAME), 'this is my thesis, not a database\n'.repeat(200))
    expectRefusedAndUntouched(dir, /is not a SQLite database; refusing to open it/)
  })

  it('refuses a corrupt SQLite file and leaves it untouched', () => {
    const dir = tempDir()
    const store = openStore(dir)
    for (let i = 0; i < 200; i++) store.sessions.create(`session ${i}`)
    store.close()
    const file = join(dir, DATABASE_FILE_NAME)
    const bytes = readFileSync(file)
    // Keep the 100-byte header, wreck the pages behind it.
    for (let at = 100; at < bytes.length; at++) bytes[at] = (at * 31) & 0xff
    writeFileSync(file, bytes)
    expectRefusedAndUntouched(dir, /is corrupt/)
  })

  it('refuses a database from a newer modlab and leaves it untouched', () => {
    const dir = tempDir()
    const db = new Database(join(dir, DATABASE_FILE_NAME))
    db.pragma(`user_version = ${SCHEMA_VERSION + 5}`)
    db.close()
    expectRefusedAndUntouched(
      dir,
      new RegExp(
        `newer modlab \\(schema ${SCHEMA_VERSION + 5}; this modlab knows up to ${SCHEMA_VERSION}\\)`,
      ),
    )
  })

  it('refuses a directory where the database file should be', () => {
    const dir = tempDir()
    const store = openStore(join(dir, DATABASE_FILE_NAME, 'inside'))
    store.close()
    expect(() => openStore(dir)).toThrow(/is not a regular file/)
  })

  it('names the data directory when it cannot be created', () => {
    const dir = tempDir()
    writeFileSync(join(dir, 'file'), 'x')
    expect(() => openStore(join(dir, 'file', 'data'))).toThrow(/cannot create the data directory/)
    expect(existsSync(join(dir, 'file', 'data'))).toBe(false)
  })
})
