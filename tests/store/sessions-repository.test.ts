import Database from 'better-sqlite3'
import { describe, expect, it } from 'vitest'
import { migrate } from '../../src-main/store/migrations'
import { createSessionsRepository } from '../../src-main/store/sessions-repository'

function repository() {
  const db = new Database(':memory:')
  migrate(db, 0)
  let tick = 0
  const now = () => new Date(Date.UTC(2026, 10, 22, 6, 0, tick++))
  return createSessionsRepository(db, now)
}

describe('sessions repository', () => {
  it('creates, lists newest first, renames and deletes', () => {
    const sessions = repository()
    const a = sessions.create('a')
    const b = sessions.create('b')
    expect(a).toEqual({
      id: 1,
      name: 'a',
      createdAt: '2026-11-22T06:00:00.000Z',
      updatedAt: '2026-11-22T06:00:00.000Z',
    })
    expect(sessions.list().map((s) => s.id)).toEqual([b.id, a.id])

    const renamed = sessions.rename(a.id, 'a2')
    expect(renamed).toEqual({ ...a, name: 'a2', updatedAt: '2026-11-22T06:00:02.000Z' })
    expect(sessions.get(a.id)).toEqual(renamed)

    expect(sessions.delete(a.id)).toBe(true)
    expect(sessions.delete(a.id)).toBe(false)
    expect(sessions.rename(a.id, 'x')).toBeUndefined()
    expect(sessions.list().map((s) => s.name)).toEqual(['b'])
  })

  it('never reuses the id of a deleted session', () => {
    const sessions = repository()
    sessions.create('a')
    const b = sessions.create('b')
    sessions.delete(b.id)
    expect(sessions.create('c').id).toBe(b.id + 1)
  })
})
