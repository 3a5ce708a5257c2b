import { rmSync } from 'node:fs'
import { formatTimestamp } from '../kernel/dmesg-format'
import { ENGINE_VERSION } from '../kernel/version'
import type { Store } from '../store/database'
import { recordKey } from './events'
import type { LabRunner, PlainRecord } from './lab-engine'
import type { Resources, SessionRecorder } from './recorder'
import { SessionError } from './recorder'
import {
  REPLAYERS,
  type Divergence,
  type ReplayReport,
  type ReplayState,
  type ReplayStep,
} from './replay'

/** Events read from the store a page at a time: a session may hold 100,000 of them. */
const PAGE = 5000

const line = (record: PlainRecord) =>
  `<${record.level}>${formatTimestamp(record.timestampNs)} ${record.device ? `${record.device}: ` : ''}${record.text}`

const show = (value: unknown): string =>
  value === undefined ? '(nothing)' : typeof value === 'string' ? value : JSON.stringify(value)

const same = (a: unknown, b: unknown) => JSON.stringify(sorted(a)) === JSON.stringify(sorted(b))

function sorted(value: unknown): unknown {
  if (Array.isArray(value) || value === null || typeof value !== 'object') return value
  return Object.fromEntries(
    Object.entries(value as Record<string, unknown>)
      .sort(([a], [b]) => (a < b ? -1 : 1))
      .map(([k, v]) => [k, sorted(v)]),
  )
}

/** The first difference of one replayed event: its outputs in order, then its kernel records one by one. */
function firstDifference(
  event: number,
  kind: string,
  compared: Awaited<ReturnType<(typeof REPLAYERS)[string]>>,
): Divergence | undefined {
  for (const [what, expected, got] of compared.outputs)
    if (!same(expected, got)) return { event, kind, what, expected: show(expected), got: show(got) }
  const { expectedRecords: want, gotRecords: have } = compared
  for (let index = 0; index < Math.max(want.length, have.length); index++) {
    const expected = want[index]
    const got = have[index]
    if (expected && got && same(recordKey(expected), recordKey(got))) continue
    const seq = (expected ?? got)?.seq
    return {
      event,
      kind,
      what: `kernel record ${index + 1} of ${want.length} (seq ${seq})`,
      expected: expected ? line(expected) : '(no record)',
      got: got ? line(got) : '(no record)',
    }
  }
  return undefined
}

/**
 * Re-runs a session's actions, in order, on this engine, and compares everything each produced
 * with what was recorded. `upTo` stops after that event (the UI's step and run-to-here). A session
 * recorded by another engine version is replayed all the same; the report says so.
 */
export async function replaySession(
  store: Store,
  recorder: SessionRecorder,
  runLab: LabRunner,
  where: Resources,
  sessionId: number,
  options: { upTo?: number } = {},
): Promise<ReplayReport> {
  recorder.requireSession(sessionId)
  const total = store.events.count(sessionId)
  const last = Math.min(options.upTo ?? total - 1, total - 1)
  const state: ReplayState = { store, recorder, runLab, where, runs: new Map() }
  const steps: ReplayStep[] = []
  const differences: Divergence[] = []
  const versions = new Set<string>()
  try {
    for (let from = 0; from <= last; from += PAGE) {
      for (const event of store.events.list(sessionId, from, Math.min(PAGE, last - from + 1))) {
        versions.add(event.engineVersion)
        const replayer = REPLAYERS[event.kind]
        if (!replayer) {
          steps.push({
            event: event.seq,
            kind: event.kind,
            status: 'skipped',
            note: `modlab cannot replay a ${event.kind} yet`,
          })
          continue
        }
        let difference: Divergence | undefined
        try {
          difference = firstDifference(event.seq, event.kind, await replayer(event, state))
        } catch (error) {
          difference = {
            event: event.seq,
            kind: event.kind,
            what: 'the action itself',
            expected: 'it runs',
            got: `it failed: ${error instanceof Error ? error.message : String(error)}`,
          }
        }
        if (difference) differences.push(difference)
        steps.push({
          event: event.seq,
          kind: event.kind,
          status: difference ? 'diverged' : 'identical',
        })
      }
    }
  } finally {
    for (const { run } of state.runs.values())
      await runLab({ kind: 'lab-forget', run }).catch(() => undefined)
    if (state.scratch) rmSync(state.scratch, { recursive: true, force: true })
  }
  const recordedWith = [...versions].sort()
  return {
    sessionId,
    events: total,
    replayed: steps.length,
    engine: ENGINE_VERSION,
    recordedWith,
    otherEngine: recordedWith.some((version) => version !== ENGINE_VERSION),
    identical: differences.length === 0,
    ...(differences[0] ? { divergence: differences[0] } : {}),
    differences,
    steps,
  }
}

export { SessionError }
