import type BetterSqlite3 from 'better-sqlite3'

export interface SessionRow {
  id: number
  name: string
  createdAt: string
  updatedAt: string
}

export interface SessionsRepository {
  /** Newest first. */
  list(offset?: number, limit?: number): SessionRow[]
  get(id: number): SessionRow | undefined
  create(name: string): SessionRow
  rename(id: number, name: string): SessionRow | undefined
  delete(id: number): boolean
}

const COLUMNS = 'id, name, created_at AS createdAt, updated_at AS updatedAt'

export function createSessionsRepository(
  db: BetterSqlite3.Database,
  now: () => Date = () => new Date(),
): SessionsRepository {
  const statements = {
    list: db.prepare<[number, number], SessionRow>(
      `SELECT ${COLUMNS} FROM sessions ORDER BY created_at DESC, id DESC LIMIT ? OFFSET ?`,
    ),
    get: db.prepare<[number], SessionRow>(`SELECT ${COLUMNS} FROM sessions WHERE id = ?`),
    insert: db.prepare<[string, string, string], SessionRow>(
      `INSERT INTO sessions (name, created_at, updated_at) VALUES (?, ?, ?) RETURNING ${COLUMNS}`,
    ),
    rename: db.prepare<[string, string, number], SessionRow>(
      `UPDATE sessions SET name = ?, updated_at = ? WHERE id = ? RETURNING ${COLUMNS}`,
    ),
    delete: db.prepare<[number]>('DELETE FROM sessions WHERE id = ?'),
  }
  return {
    list: (offset = 0, limit = -1) => statements.list.all(limit, offset),
    get: (id) => statements.get.get(id),
    create: (name) => {
      const stamp = now().toISOString()
      return statements.insert.get(name, stamp, stamp) as SessionRow
    },
    rename: (id, name) => statements.rename.get(name, now().toISOString(), id),
    delete: (id) => statements.delete.run(id).changes > 0,
  }
}
