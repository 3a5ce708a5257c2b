import {
  TIMELINE_LANES,
  type TimelineEvent,
  type TimelineLane,
  type TimelineWindow,
} from '../api/contract'
import type { Kernel } from '../kernel/kernel'
import type { TraceEvent } from '../kernel/trace'

/** Rows a lane may stack overlapping events into; past it they share the last row. */
const MAX_ROWS = 12

const LANE_OF: Record<TraceEvent['kind'], TimelineLane> = {
  initcall: 'initcalls',
  probe: 'probes',
  deferral: 'deferrals',
  timeout: 'deferrals',
  module: 'modules',
}

/**
 * A trace laid out for windowed reads: events by start time in typed arrays, each with its lane
 * and row, and the running maximum of their ends, so that a window finds its first event by
 * binary search whatever the length of the spans before it.
 */
export interface TimelineIndex {
  events: readonly TraceEvent[]
  /** Event indexes sorted by start (then by trace order). */
  order: Int32Array
  start: Float64Array
  end: Float64Array
  /** max(end) over order[0..i]. */
  maxEnd: Float64Array
  lane: Uint8Array
  row: Uint8Array
  rows: number[]
  /** Positions (in `order`) from the longest event to the shortest: the ones to draw first. */
  byLength: Int32Array
  endNs: number
  /** The events as sent, by position, made on first use: zoom and pan ask for the same ones again. */
  sent: (TimelineEvent | undefined)[]
}

export function indexTimeline(
  events: readonly TraceEvent[],
  durationOf: (e: TraceEvent) => number,
  lastNs: number,
): TimelineIndex {
  const count = events.length
  const order = new Int32Array(count)
  for (let i = 0; i < count; i++) order[i] = i
  order.sort(
    (a, b) => (events[a] as TraceEvent).startNs - (events[b] as TraceEvent).startNs || a - b,
  )
  const start = new Float64Array(count)
  const end = new Float64Array(count)
  const maxEnd = new Float64Array(count)
  const lane = new Uint8Array(count)
  const row = new Uint8Array(count)
  const rowEnds = TIMELINE_LANES.map(() => [] as number[])
  let running = 0
  let endNs = lastNs
  for (let i = 0; i < count; i++) {
    const event = events[order[i] as number] as TraceEvent
    const s = event.startNs
    const e = s + durationOf(event)
    const l = TIMELINE_LANES.indexOf(LANE_OF[event.kind])
    start[i] = s
    end[i] = e
    running = Math.max(running, e)
    maxEnd[i] = running
    endNs = Math.max(endNs, e)
    lane[i] = l
    // First fit: the first row whose last event ended before this one starts.
    const ends = rowEnds[l] as number[]
    let r = ends.findIndex((rowEnd) => rowEnd <= s)
    if (r < 0) r = ends.length < MAX_ROWS ? ends.length : MAX_ROWS - 1
    ends[r] = Math.max(ends[r] ?? 0, e)
    row[i] = r
  }
  const byLength = new Int32Array(count)
  for (let i = 0; i < count; i++) byLength[i] = i
  byLength.sort((a, b) => end[b]! - start[b]! - (end[a]! - start[a]!) || a - b)
  return {
    byLength,
    events,
    order,
    start,
    end,
    maxEnd,
    lane,
    row,
    rows: rowEnds.map((ends) => Math.max(1, ends.length)),
    endNs,
    sent: new Array<TimelineEvent | undefined>(count),
  }
}

const cache = new WeakMap<Kernel, { length: number; clock: number; index: TimelineIndex }>()

/** The kernel's trace, indexed once per state of the machine (a shell command may add events). */
export function kernelTimeline(kernel: Kernel): TimelineIndex {
  const cached = cache.get(kernel)
  const length = kernel.trace.events.length
  if (cached && cached.length === length && cached.clock === kernel.clock.now) return cached.index
  const lastNs = kernel.log.records.at(-1)?.timestampNs ?? 0
  const index = indexTimeline(kernel.trace.events, (e) => kernel.trace.openDurationNs(e), lastNs)
  cache.set(kernel, { length, clock: kernel.clock.now, index })
  return index
}

export interface WindowRequest {
  fromNs?: number
  toNs?: number
  buckets: number
  limit: number
  seq?: number
}

function eventAt(index: TimelineIndex, i: number): TimelineEvent {
  const id = index.order[i] as number
  return (index.sent[i] ??= {
    ...(index.events[id] as TraceEvent),
    durNs: (index.end[i] as number) - (index.start[i] as number),
    id,
    lane: index.lane[i] as number,
    row: index.row[i] as number,
  })
}

/** The first i whose maxEnd passes `ns`: every event before it ended by then. */
function firstEndingAfter(index: TimelineIndex, ns: number): number {
  let lo = 0
  let hi = index.maxEnd.length
  while (lo < hi) {
    const mid = (lo + hi) >> 1
    if ((index.maxEnd[mid] as number) > ns) hi = mid
    else lo = mid + 1
  }
  return lo
}

/** The first i that starts after `ns`. */
function firstStartingAfter(index: TimelineIndex, ns: number): number {
  let lo = 0
  let hi = index.start.length
  while (lo < hi) {
    const mid = (lo + hi) >> 1
    if ((index.start[mid] as number) > ns) hi = mid
    else lo = mid + 1
  }
  return lo
}

/**
 * The events overlapping a window of time, and how many fall in each column of it per lane:
 * the renderer draws the density where events are too many or too small to draw one by one.
 */
export function timelineWindow(
  bootId: number,
  index: TimelineIndex,
  request: WindowRequest,
): TimelineWindow {
  const fromNs = Math.max(0, request.fromNs ?? 0)
  const toNs = Math.max(fromNs + 1, request.toNs ?? Math.max(index.endNs, 1))
  const buckets = request.buckets
  const bucketNs = (toNs - fromNs) / buckets
  const density = TIMELINE_LANES.map(() => new Int32Array(buckets))
  // Indices are kept only while they may all be sent; past the limit, only counted.
  const inside: number[] = []
  let inWindow = 0
  // The window is closed at both ends: an instant on its edge is inside it.
  const lo = firstEndingAfter(index, fromNs - 1)
  const hi = firstStartingAfter(index, toNs)
  for (let i = lo; i < hi; i++) {
    const s = index.start[i] as number
    const e = index.end[i] as number
    if (e < fromNs) continue
    if (inWindow++ < request.limit) inside.push(i)
    const lane = density[index.lane[i] as number] as Int32Array
    const first = Math.max(0, Math.floor((s - fromNs) / bucketNs))
    const last = Math.min(buckets - 1, Math.floor((e - fromNs) / bucketNs))
    for (let b = first; b <= last; b++) lane[b] = (lane[b] as number) + 1
  }
  let chosen = inside
  if (inWindow > request.limit) {
    // The longest first: they are the ones drawn as boxes; the rest show as density.
    chosen = []
    for (let k = 0; k < index.byLength.length && chosen.length < request.limit; k++) {
      const i = index.byLength[k] as number
      if (i >= lo && i < hi && (index.end[i] as number) >= fromNs) chosen.push(i)
    }
    chosen.sort((a, b) => a - b)
  }
  const match = request.seq === undefined ? undefined : matchSeq(index, request.seq)
  return {
    bootId,
    endNs: index.endNs,
    total: index.events.length,
    lanes: TIMELINE_LANES.map((name, lane) => ({ name, rows: index.rows[lane] as number })),
    fromNs,
    toNs,
    inWindow,
    events: chosen.map((i) => eventAt(index, i)),
    density: density.map((lane) => Array.from(lane)),
    ...(match ? { match } : {}),
  }
}

/** The innermost event whose printed records include `seq` (a probe inside its initcall). */
function matchSeq(index: TimelineIndex, seq: number): TimelineEvent | undefined {
  let best = -1
  let bestSpan = Infinity
  for (let i = 0; i < index.order.length; i++) {
    const event = index.events[index.order[i] as number] as TraceEvent
    if (event.seq === undefined || event.seqEnd === undefined) continue
    if (seq < event.seq || seq >= event.seqEnd) continue
    // The fewest lines, then the shortest: a probe rather than the initcall that ran it.
    const span = (event.seqEnd - event.seq) * 1e15 + Math.min(event.durNs, 1e15 - 1)
    if (span < bestSpan) {
      best = i
      bestSpan = span
    }
  }
  return best < 0 ? undefined : eventAt(index, best)
}
