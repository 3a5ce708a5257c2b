import Database from 'better-sqlite3'
import { describe, expect, it } from 'vitest'
import { migrate, MIGRATIONS, SCHEMA_VERSION } from '../../src-main/store/migrations'

describe('migrations', () => {
  it('are numbered 1, 2, 3 ... without gaps', () => {
    expect(MIGRATIONS.map((m) => m.version)).toEqual(MIGRATIONS.map((_, index) => index + 1))
    expect(SCHEMA_VERSION).toBe(MIGRATIONS.length)
  })

  it('bring an empty database to the latest schema, and are idempotent', () => {
    const db = new Database(':memory:')
    migrate(db, 0)
    expect(db.pragma('user_version', { simple: true })).toBe(SCHEMA_VERSION)
    const tables = () =>
      db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name").pluck().all()
    const before = tables()
    expect(before).toContain('sessions')
    migrate(db, SCHEMA_VERSION)
    expect(tables()).toEqual(before)
  })

  it('roll a failing migration back whole, version included', () => {
    const db = new Database(':memory:')
    db.exec('CREATE TABLE sessions (id INTEGER)') // collides with migration 1
    expect(() => migrate(db, 0)).toThrow(/already exists/)
    expect(db.pragma('user_version', { simple: true })).toBe(0)
  })
})
