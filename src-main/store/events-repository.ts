import type BetterSqlite3 from 'better-sqlite3'

/** One action of a session, in order, with what it produced (both JSON). */
export interface EventRow {
  sessionId: number
  seq: number
  kind: string
  engineVersion: string
  action: unknown
  result: unknown
  /** The boot the action made or ran on. */
  bootId?: number
  createdAt: string
}

export type NewEvent = Omit<EventRow, 'sessionId' | 'seq' | 'createdAt'>

export interface SnapshotRow {
  hash: string
  kind: 'profile' | 'kernel'
  name: string
  body: Uint8Array
}

export interface EventsRepository {
  /** Appends an event to the session (its next seq), in the caller's transaction if any. */
  append(sessionId: number, event: NewEvent): EventRow
  list(sessionId: number, from?: number, count?: number): EventRow[]
  count(sessionId: number): number
  /** Ties the snapshot to the session, storing it (`row()`, built only then) when it is new. */
  keepSnapshot(sessionId: number, hash: string, row: () => SnapshotRow): void
  hasSnapshot(hash: string): boolean
  snapshot(hash: string): SnapshotRow | undefined
  /** The snapshots a session refers to. */
  snapshots(sessionId: number): SnapshotRow[]
}

type RawEvent = Omit<EventRow, 'action' | 'result' | 'bootId'> & {
  action: string
  result: string
  bootId: number | null
}

const COLUMNS = `session_id AS sessionId, seq, kind, engine_version AS engineVersion, action, result,
  boot_id AS bootId, created_at AS createdAt`

export function createEventsRepository(
  db: BetterSqlite3.Database,
  now: () => Date = () => new Date(),
): EventsRepository {
  const next = db.prepare<[number], number>(
    'SELECT coalesce(MAX(seq) + 1, 0) FROM session_events WHERE session_id = ?',
  )
  next.pluck()
  const insert = db.prepare<
    [number, number, string, string, string, string, number | null, string]
  >(
    `INSERT INTO session_events (session_id, seq, kind, engine_version, action, result, boot_id, created_at)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
  )
  const touch = db.prepare<[string, number]>('UPDATE sessions SET updated_at = ? WHERE id = ?')
  const list = db.prepare<[number, number, number], RawEvent>(
    `SELECT ${COLUMNS} FROM session_events WHERE session_id = ? AND seq >= ? ORDER BY seq LIMIT ?`,
  )
  const count = db.prepare<[number], number>(
    'SELECT COUNT(*) FROM session_events WHERE session_id = ?',
  )
  count.pluck()
  const insertSnapshot = db.prepare<[string, string, string, Uint8Array]>(
    'INSERT OR IGNORE INTO snapshots (hash, kind, name, body) VALUES (?, ?, ?, ?)',
  )
  const tie = db.prepare<[number, string]>(
    'INSERT OR IGNORE INTO session_snapshots (session_id, hash) VALUES (?, ?)',
  )
  const has = db.prepare<[string], number>('SELECT 1 FROM snapshots WHERE hash = ?')
  has.pluck()
  const getSnapshot = db.prepare<[string], SnapshotRow>(
    'SELECT hash, kind, name, body FROM snapshots WHERE hash = ?',
  )
  const ofSession = db.prepare<[number], SnapshotRow>(
    `SELECT s.hash, s.kind, s.name, s.body FROM snapshots s
     JOIN session_snapshots t ON t.hash = s.hash WHERE t.session_id = ? ORDER BY s.hash`,
  )
  const parse = (raw: RawEvent): EventRow => {
    const { bootId, ...rest } = raw
    return {
      ...rest,
      action: JSON.parse(raw.action) as unknown,
      result: JSON.parse(raw.result) as unknown,
      ...(bootId !== null ? { bootId } : {}),
    }
  }
  return {
    append: (sessionId, event) => {
      const seq = next.get(sessionId) as number
      const stamp = now().toISOString()
      const action = JSON.stringify(event.action)
      const result = JSON.stringify(event.result)
      insert.run(
        sessionId,
        seq,
        event.kind,
        event.engineVersion,
        action,
        result,
        event.bootId ?? null,
        stamp,
      )
      touch.run(stamp, sessionId)
      return { ...event, sessionId, seq, createdAt: stamp }
    },
    list: (sessionId, from = 0, limit = -1) => list.all(sessionId, from, limit).map(parse),
    count: (sessionId) => count.get(sessionId) as number,
    keepSnapshot: (sessionId, hash, row) => {
      if (has.get(hash) === undefined) {
        const snapshot = row()
        insertSnapshot.run(snapshot.hash, snapshot.kind, snapshot.name, snapshot.body)
      }
      tie.run(sessionId, hash)
    },
    hasSnapshot: (hash) => has.get(hash) !== undefined,
    snapshot: (hash) => getSnapshot.get(hash),
    snapshots: (sessionId) => ofSession.all(sessionId),
  }
}
