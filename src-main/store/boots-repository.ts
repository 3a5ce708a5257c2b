import type BetterSqlite3 from 'better-sqlite3'
import { logChunks, type BootRecordRow } from './log-chunks'

export type { BootRecordRow } from './log-chunks'

export interface BootInputsRow {
  sessionId: number
  profile: string
  kernel: string
  cmdline: string
  seed: number
  faults: unknown[]
  engineVersion: string
  outcome: string
}

/** A boot that starts a session of its own: the session is created in the boot's transaction. */
export type NewSessionBootRow = Omit<BootInputsRow, 'sessionId'> & { newSessionName: string }

export interface BootRow extends BootInputsRow {
  id: number
  createdAt: string
  records: number
}

export interface BootsRepository {
  /** The boot and all of its records (and its new session), in one transaction. */
  record(inputs: BootInputsRow | NewSessionBootRow, records: readonly BootRecordRow[]): BootRow
  list(sessionId: number): BootRow[]
  records(bootId: number): BootRecordRow[]
  /** `count` records from sequence number `from` on. */
  recordsPage(bootId: number, from: number, count: number): BootRecordRow[]
  get(bootId: number): BootRow | undefined
  countBySession(): Map<number, number>
  /** The session a boot belongs to, without counting its records. */
  sessionOf(bootId: number): number | undefined
  /** A shell command run on the boot, with the kernel records it caused appended to the boot's. */
  recordCommand(bootId: number, command: ShellCommandRow, records: readonly BootRecordRow[]): void
  commands(bootId: number): ShellCommandRow[]
}

export interface ShellCommandRow {
  command: string
  stdout: string
  stderr: string
  exitCode: number
}

const COLUMNS = `b.id, b.session_id AS sessionId, b.profile, b.kernel, b.cmdline, b.seed, b.faults,
  b.engine_version AS engineVersion, b.outcome, b.created_at AS createdAt,
  (SELECT coalesce(SUM(record_count), 0) FROM boot_log r WHERE r.boot_id = b.id) AS records`

type RawBoot = Omit<BootRow, 'faults'> & { faults: string }

export function createBootsRepository(
  db: BetterSqlite3.Database,
  now: () => Date = () => new Date(),
): BootsRepository {
  const insertBoot = db.prepare<
    [number, string, string, string, number, string, string, string, string]
  >(
    `INSERT INTO boots (session_id, profile, kernel, cmdline, seed, faults, engine_version, outcome, created_at)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  )
  const log = logChunks(db)
  const getBoot = db.prepare<[number], RawBoot>(`SELECT ${COLUMNS} FROM boots b WHERE b.id = ?`)
  const listBoots = db.prepare<[number], RawBoot>(
    `SELECT ${COLUMNS} FROM boots b WHERE b.session_id = ? ORDER BY b.id`,
  )
  const counts = db.prepare<[], { sessionId: number; boots: number }>(
    'SELECT session_id AS sessionId, COUNT(*) AS boots FROM boots GROUP BY session_id',
  )
  const insertCommand = db.prepare<
    [number, number, string, string, string, number, number, number]
  >(
    `INSERT INTO shell_commands (boot_id, seq, command, stdout, stderr, exit_code, first_record, record_count)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
  )
  // The next seq from the primary key's end: a count would walk every command of the boot.
  const countCommands = db.prepare<[number], { n: number }>(
    'SELECT coalesce(MAX(seq) + 1, 0) AS n FROM shell_commands WHERE boot_id = ?',
  )
  const listCommands = db.prepare<[number], ShellCommandRow>(
    'SELECT command, stdout, stderr, exit_code AS exitCode FROM shell_commands WHERE boot_id = ? ORDER BY seq',
  )
  const appendCommand = db.transaction(
    (bootId: number, command: ShellCommandRow, records: readonly BootRecordRow[]) => {
      const seq = (countCommands.get(bootId) as { n: number }).n
      const { stdout, stderr, exitCode } = command
      const first = records[0]?.seq ?? -1
      insertCommand.run(
        bootId,
        seq,
        command.command,
        stdout,
        stderr,
        exitCode,
        first,
        records.length,
      )
      log.append(bootId, records)
    },
  )
  const sessionOfBoot = db.prepare<[number], number>('SELECT session_id FROM boots WHERE id = ?')
  sessionOfBoot.pluck()
  const parse = (raw: RawBoot): BootRow => ({ ...raw, faults: JSON.parse(raw.faults) as unknown[] })

  const insertSession = db.prepare<[string, string, string]>(
    'INSERT INTO sessions (name, created_at, updated_at) VALUES (?, ?, ?)',
  )
  const sessionOf = (inputs: BootInputsRow | NewSessionBootRow) => {
    if ('sessionId' in inputs) return inputs.sessionId
    const stamp = now().toISOString()
    return Number(insertSession.run(inputs.newSessionName, stamp, stamp).lastInsertRowid)
  }

  const recordAll = db.transaction(
    (inputs: BootInputsRow | NewSessionBootRow, records: readonly BootRecordRow[]) => {
      const { lastInsertRowid } = insertBoot.run(
        sessionOf(inputs),
        inputs.profile,
        inputs.kernel,
        inputs.cmdline,
        inputs.seed,
        JSON.stringify(inputs.faults),
        inputs.engineVersion,
        inputs.outcome,
        now().toISOString(),
      )
      const bootId = Number(lastInsertRowid)
      log.append(bootId, records, true)
      return bootId
    },
  )

  return {
    record: (inputs, records) => parse(getBoot.get(recordAll(inputs, records)) as RawBoot),
    recordCommand: (bootId, command, records) => appendCommand(bootId, command, records),
    commands: (bootId) => listCommands.all(bootId),
    list: (sessionId) => listBoots.all(sessionId).map(parse),
    records: (bootId) => log.all(bootId),
    recordsPage: (bootId, from, count) => log.page(bootId, from, count),
    get: (bootId) => {
      const raw = getBoot.get(bootId)
      return raw ? parse(raw) : undefined
    },
    countBySession: () => new Map(counts.all().map((row) => [row.sessionId, row.boots])),
    sessionOf: (bootId) => sessionOfBoot.get(bootId),
  }
}
