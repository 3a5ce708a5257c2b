/**
 * The sessions part of the API contract: the session list, a session's events, replay, diff, export
 * and import. Spread into `requestSchemas` in contract.ts; the renderer imports these types through it.
 */
import { z } from 'zod'

/** A database row id: a session's, a boot's. */
const Id = z.number().int().positive().max(Number.MAX_SAFE_INTEGER)
export const SessionId = Id
export const SessionName = z
  .string()
  .trim()
  .min(1, 'a session name must not be empty')
  .max(120, 'a session name must be at most 120 characters')
  // eslint-disable-next-line no-control-regex
  .regex(/^[^\u0000-\u001f\u007f]*$/, 'a session name must not contain control characters')

/** The most sessions one `sessions:list` returns. */
export const SESSIONS_PAGE_MAX = 1000

/** The largest export `sessions:import` takes over the bridge (the CLI reads files itself). */
export const MAX_EXPORT_CHARS = 256 * 1024 * 1024

export const sessionsRequestSchemas = {
  /** Newest first, a page at a time (33,000 sessions are a 5 MB reply); `{}` is the newest page. */
  'sessions:list': z
    .object({
      offset: z.number().int().min(0).max(Number.MAX_SAFE_INTEGER).default(0),
      limit: z.number().int().min(1).max(SESSIONS_PAGE_MAX).default(SESSIONS_PAGE_MAX),
    })
    .strict(),
  'sessions:create': z.object({ name: SessionName }).strict(),
  'sessions:rename': z.object({ id: SessionId, name: SessionName }).strict(),
  'sessions:delete': z.object({ id: SessionId }).strict(),
  /** A session's actions in order, a page at a time. */
  'sessions:events': z
    .object({
      id: Id,
      from: z.number().int().min(0).default(0),
      count: z.number().int().min(1).max(10_000).default(1000),
    })
    .strict(),
  /** Re-runs the session's actions (up to and including event `upTo`) and compares. */
  'sessions:replay': z.object({ id: Id, upTo: z.number().int().min(0).optional() }).strict(),
  'sessions:diff': z.union([
    z.object({ a: Id, b: Id }).strict(),
    z.object({ bootA: Id, bootB: Id }).strict(),
  ]),
  'sessions:export': z.object({ id: Id }).strict(),
  'sessions:import': z
    .object({ content: z.string().min(1).max(MAX_EXPORT_CHARS, 'the export is too large') })
    .strict(),
}

export type CreateSessionRequest = z.input<(typeof sessionsRequestSchemas)['sessions:create']>
export type RenameSessionRequest = z.input<(typeof sessionsRequestSchemas)['sessions:rename']>
export type DeleteSessionRequest = z.input<(typeof sessionsRequestSchemas)['sessions:delete']>
export type ListSessionsRequest = z.input<(typeof sessionsRequestSchemas)['sessions:list']>
export type SessionEventsRequest = z.input<(typeof sessionsRequestSchemas)['sessions:events']>
export type ReplayRequest = z.input<(typeof sessionsRequestSchemas)['sessions:replay']>
export type SessionsDiffRequest = z.input<(typeof sessionsRequestSchemas)['sessions:diff']>
export type ExportSessionRequest = z.input<(typeof sessionsRequestSchemas)['sessions:export']>
export type ImportSessionRequest = z.input<(typeof sessionsRequestSchemas)['sessions:import']>

export interface SessionRecord {
  id: number
  name: string
  /** ISO 8601, UTC. */
  createdAt: string
  updatedAt: string
  /** How many boots the session recorded. */
  boots: number
}

export interface DeletedSession {
  id: number
}

export interface SessionEvent {
  /** Its index in the session, from 0. */
  seq: number
  kind: string
  /** A line that names the action: `boot qemu-virt on debian-6.12-arm64`, `shell: modprobe foo`. */
  summary: string
  engineVersion: string
  action: unknown
  result: unknown
  bootId?: number
  createdAt: string
}

/** Where a replay first differs from the recording. */
export interface ReplayDivergence {
  /** The event's index in the session (0 is its first action). */
  event: number
  kind: string
  /** `record 412 (seq 412)`, `stdout`, `exit code`, `outcome`, `devices`, `modules`... */
  what: string
  expected: string
  got: string
}

export interface ReplayStep {
  event: number
  kind: string
  status: 'identical' | 'diverged' | 'skipped'
  note?: string
}

export interface ReplayReport {
  sessionId: number
  /** Events in the session, and how many this replay ran. */
  events: number
  replayed: number
  engine: string
  /** The engine versions the session's events were recorded by. */
  recordedWith: string[]
  /** Recorded by another engine version: replayed anyway, differences shown. */
  otherEngine: boolean
  identical: boolean
  divergence?: ReplayDivergence
  /** Every difference, not only the first (one per event at most). */
  differences: ReplayDivergence[]
  steps: ReplayStep[]
}

export interface BootDiffReport {
  a: number
  b: number
  dmesg: string
  devices: { name: string; a?: string; b?: string }[]
  modules: { name: string; a: boolean; b: boolean }[]
}

export type DiffReport =
  | { kind: 'boots'; boots: BootDiffReport }
  | {
      kind: 'sessions'
      a: number
      b: number
      actions: { event: number; a?: string; b?: string }[]
      boots: BootDiffReport[]
    }

export interface ExportedSession {
  fileName: string
  content: string
}
