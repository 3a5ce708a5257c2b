import { createHash } from 'node:crypto'
import { z } from 'zod'
import type { Store } from '../store/database'
import type { BootRecordRow } from '../store/boots-repository'
import type { SessionRow } from '../store/sessions-repository'
import { fromRow, SnapshotError } from './snapshots'
import { SessionError } from './recorder'

/** The export format this modlab writes, and the newest it reads. */
export const EXPORT_FORMAT = 'modlab-session'
export const EXPORT_VERSION = 1

const Record = z.tuple([
  z.number().int(),
  z.number(),
  z.number().int(),
  z.string(),
  z.string().nullable(),
])

const Content = z
  .object({
    session: z.object({ name: z.string().min(1).max(120), createdAt: z.string() }).strict(),
    boots: z.array(
      z
        .object({
          ref: z.number().int(),
          profile: z.string(),
          kernel: z.string(),
          cmdline: z.string(),
          seed: z.number().int(),
          faults: z.array(z.unknown()),
          engineVersion: z.string(),
          outcome: z.string(),
          records: z.array(Record),
          commands: z.array(
            z
              .object({
                command: z.string(),
                stdout: z.string(),
                stderr: z.string(),
                exitCode: z.number().int(),
              })
              .strict(),
          ),
        })
        .strict(),
    ),
    events: z.array(
      z
        .object({
          seq: z.number().int().min(0),
          kind: z.string().min(1),
          engineVersion: z.string(),
          action: z.unknown(),
          result: z.unknown(),
          boot: z.number().int().nullable(),
          createdAt: z.string(),
        })
        .strict(),
    ),
    snapshots: z.array(
      z
        .object({
          hash: z.string().regex(/^[0-9a-f]{64}$/),
          kind: z.enum(['profile', 'kernel']),
          name: z.string(),
          body: z.string(),
        })
        .strict(),
    ),
  })
  .strict()

type ExportContent = z.infer<typeof Content>

/** An export file modlab will not import: the message names what is wrong. Nothing was stored. */
export class ExportFileError extends Error {}

const checksumOf = (content: string) =>
  `sha256:${createHash('sha256').update(content).digest('hex')}`

/** One JSON file: the format, its version, and the checksum of the content that follows. */
export function exportSession(store: Store, sessionId: number): string {
  const session = store.sessions.get(sessionId)
  if (!session) throw new SessionError(`no session with id ${sessionId}`)
  const boots = store.boots.list(sessionId).map((boot) => ({
    ref: boot.id,
    profile: boot.profile,
    kernel: boot.kernel,
    cmdline: boot.cmdline,
    seed: boot.seed,
    faults: boot.faults,
    engineVersion: boot.engineVersion,
    outcome: boot.outcome,
    records: store.boots
      .records(boot.id)
      .map((r): z.infer<typeof Record> => [
        r.seq,
        r.timestampNs,
        r.level,
        r.text,
        r.device ?? null,
      ]),
    commands: store.boots.commands(boot.id),
  }))
  const content: ExportContent = {
    session: { name: session.name, createdAt: session.createdAt },
    boots,
    events: store.events.list(sessionId).map((event) => ({
      seq: event.seq,
      kind: event.kind,
      engineVersion: event.engineVersion,
      action: event.action,
      result: event.result,
      boot: event.bootId ?? null,
      createdAt: event.createdAt,
    })),
    snapshots: store.events.snapshots(sessionId).map((snapshot) => ({
      hash: snapshot.hash,
      kind: snapshot.kind,
      name: snapshot.name,
      body: Buffer.from(snapshot.body).toString('base64'),
    })),
  }
  const checksum = checksumOf(JSON.stringify(content))
  return `${JSON.stringify({ format: EXPORT_FORMAT, version: EXPORT_VERSION, checksum, content })}\n`
}

/**
 * Reads and checks an export file whole before anything is stored. A snapshot the store already
 * holds (`isKept`) is not decoded: the stored copy, whose hash it shares, is the one used.
 */
export function readExport(
  text: string,
  isKept: (hash: string) => boolean = () => false,
): ExportContent {
  let file: { format?: unknown; version?: unknown; checksum?: unknown; content?: unknown }
  try {
    file = JSON.parse(text) as typeof file
  } catch (error) {
    throw new ExportFileError(
      `not a complete JSON file, truncated or damaged (${(error as Error).message})`,
    )
  }
  if (file === null || typeof file !== 'object' || file.format !== EXPORT_FORMAT)
    throw new ExportFileError(
      `not a modlab session export (format ${JSON.stringify(file?.format)}, expected "${EXPORT_FORMAT}")`,
    )
  if (typeof file.version !== 'number' || !Number.isInteger(file.version))
    throw new ExportFileError('it has no format version')
  if (file.version > EXPORT_VERSION)
    throw new ExportFileError(
      `written by a newer modlab (export format ${file.version}; this modlab reads up to ${EXPORT_VERSION})`,
    )
  const actual = checksumOf(JSON.stringify(file.content ?? null))
  if (file.checksum !== actual)
    throw new ExportFileError(
      `its content does not match its checksum: the file was changed after it was exported (recorded ${String(file.checksum).slice(0, 19)}…, content ${actual.slice(0, 19)}…)`,
    )
  const parsed = file.content
  const content = Content.safeParse(parsed)
  if (!content.success) {
    const issue = content.error.issues[0]
    throw new ExportFileError(
      `its content is malformed at ${issue?.path.join('.') || 'the top'}: ${issue?.message}`,
    )
  }
  for (const snapshot of content.data.snapshots) {
    if (isKept(snapshot.hash)) continue
    try {
      fromRow({ ...snapshot, body: Buffer.from(snapshot.body, 'base64') })
    } catch (error) {
      if (error instanceof SnapshotError) throw new ExportFileError(error.message)
      throw error
    }
  }
  const refs = new Set(content.data.boots.map((boot) => boot.ref))
  for (const event of content.data.events)
    if (event.boot !== null && !refs.has(event.boot))
      throw new ExportFileError(
        `event ${event.seq} refers to boot ${event.boot}, which the file does not hold`,
      )
  return content.data
}

/** Stores an export as a new session, in one transaction: all of it, or nothing. */
export function importSession(store: Store, text: string): SessionRow {
  const content = readExport(text, (hash) => store.events.hasSnapshot(hash))
  return store.transaction(() => {
    const session = store.sessions.create(content.session.name)
    const bootIds = new Map<number, number>()
    for (const boot of content.boots) {
      const { ref, records, commands, ...inputs } = boot
      const row = store.boots.record(
        { ...inputs, sessionId: session.id },
        records.map(([seq, timestampNs, level, text, device]): BootRecordRow => ({
          seq,
          timestampNs,
          level,
          text,
          ...(device !== null ? { device } : {}),
        })),
      )
      for (const command of commands) store.boots.recordCommand(row.id, command, [])
      bootIds.set(ref, row.id)
    }
    for (const snapshot of content.snapshots)
      store.events.keepSnapshot(session.id, snapshot.hash, () => ({
        ...snapshot,
        body: Buffer.from(snapshot.body, 'base64'),
      }))
    for (const event of [...content.events].sort((a, b) => a.seq - b.seq)) {
      const bootId = event.boot === null ? undefined : bootIds.get(event.boot)
      store.events.append(session.id, {
        kind: event.kind,
        engineVersion: event.engineVersion,
        action: event.action,
        result: event.result,
        ...(bootId !== undefined ? { bootId } : {}),
      })
    }
    return store.sessions.get(session.id) as SessionRow
  })
}
