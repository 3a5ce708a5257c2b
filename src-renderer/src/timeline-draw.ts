import type { TimelineEvent, TimelineWindow } from '@api/contract'
import { axisLabel, axisStep, eventColorVar, eventLabel, LANE_TITLES } from './timeline'

export const LABEL_W = 92
export const ROW_H = 12
export const LANE_PAD = 6
export const AXIS_H = 22

export interface View {
  fromNs: number
  toNs: number
}

export interface LaneBox {
  name: string
  top: number
  height: number
  rows: number
}

/** Each lane's vertical place, under the time axis. */
export function laneBoxes(data: TimelineWindow | undefined): LaneBox[] {
  const lanes =
    data?.lanes ??
    ['initcalls', 'probes', 'deferrals', 'modules'].map((name) => ({ name, rows: 1 }))
  let top = AXIS_H
  return lanes.map(({ name, rows }) => {
    const height = rows * ROW_H + LANE_PAD * 2
    const box = { name, top, height, rows }
    top += height
    return box
  })
}

export const totalHeight = (lanes: LaneBox[]) => {
  const last = lanes.at(-1)
  return last ? last.top + last.height : AXIS_H
}

/** Where an event is drawn, in CSS pixels: at least 2 px wide, so that an instant can be seen and hit. */
export function eventRect(event: TimelineEvent, view: View, width: number, lanes: LaneBox[]) {
  const scale = (width - LABEL_W) / (view.toNs - view.fromNs)
  const lane = lanes[event.lane] as LaneBox
  const x = LABEL_W + (event.startNs - view.fromNs) * scale
  const w = Math.max(2, event.durNs * scale)
  const y = lane.top + LANE_PAD + event.row * ROW_H
  return { x, y, w, h: ROW_H - 2 }
}

/** The event under a point, the topmost (last drawn) first; a box is 3 px wider to be easy to hit. */
export function eventAt(
  data: TimelineWindow | undefined,
  view: View,
  width: number,
  lanes: LaneBox[],
  px: number,
  py: number,
): TimelineEvent | undefined {
  if (!data || px < LABEL_W) return undefined
  for (let i = data.events.length - 1; i >= 0; i--) {
    const event = data.events[i] as TimelineEvent
    const { x, y, w, h } = eventRect(event, view, width, lanes)
    if (py >= y && py <= y + h && px >= x - 1.5 && px <= x + w + 1.5) return event
  }
  return undefined
}

type Colors = (name: string) => string

export interface DrawState {
  data?: TimelineWindow
  view: View
  width: number
  height: number
  lanes: LaneBox[]
  hovered?: TimelineEvent
  selected?: TimelineEvent
  colors: Colors
}

export function drawTimeline(context: CanvasRenderingContext2D, state: DrawState): void {
  const { data, view, width, height, lanes, colors } = state
  const scale = (width - LABEL_W) / (view.toNs - view.fromNs)
  const xOf = (ns: number) => LABEL_W + (ns - view.fromNs) * scale
  context.clearRect(0, 0, width, height)
  context.font = '11px system-ui, sans-serif'
  context.textBaseline = 'middle'
  // Lanes: alternate backgrounds, names in the gutter.
  lanes.forEach((lane, index) => {
    context.fillStyle = colors(index % 2 ? '--surface' : '--surface-2')
    context.fillRect(0, lane.top, width, lane.height)
    context.fillStyle = colors('--muted')
    context.fillText(LANE_TITLES[lane.name] ?? lane.name, 8, lane.top + lane.height / 2)
  })
  // Time axis with round steps, and their grid lines.
  const step = axisStep(90 / scale)
  context.strokeStyle = colors('--border')
  context.fillStyle = colors('--muted')
  context.lineWidth = 1
  for (let ns = Math.ceil(view.fromNs / step) * step; ns <= view.toNs; ns += step) {
    const x = Math.round(xOf(ns)) + 0.5
    context.beginPath()
    context.moveTo(x, AXIS_H - 5)
    context.lineTo(x, height)
    context.stroke()
    context.fillText(axisLabel(ns, step), x + 3, AXIS_H / 2)
  }
  context.save()
  context.beginPath()
  context.rect(LABEL_W, 0, width - LABEL_W, height)
  context.clip()
  if (data) {
    drawDensity(context, data, lanes, xOf, colors)
    for (const event of data.events) drawEvent(context, event, state)
  }
  for (const event of [state.selected, state.hovered]) {
    if (!event) continue
    const r = eventRect(event, view, width, lanes)
    context.strokeStyle = colors('--text')
    context.lineWidth = event === state.selected ? 2 : 1
    context.strokeRect(r.x - 1, r.y - 1, r.w + 2, r.h + 2)
  }
  context.restore()
  context.fillStyle = colors('--border')
  context.fillRect(LABEL_W - 1, AXIS_H, 1, height - AXIS_H)
}

/** Where there are more events than boxes sent, how many each column holds, as a faint bar. */
function drawDensity(
  context: CanvasRenderingContext2D,
  data: TimelineWindow,
  lanes: LaneBox[],
  xOf: (ns: number) => number,
  colors: Colors,
) {
  if (data.inWindow <= data.events.length) return
  const bucketNs = (data.toNs - data.fromNs) / (data.density[0]?.length || 1)
  context.fillStyle = colors('--accent')
  data.density.forEach((counts, laneIndex) => {
    const lane = lanes[laneIndex]
    if (!lane) return
    const max = Math.max(1, ...counts)
    counts.forEach((count, b) => {
      if (!count) return
      const x0 = xOf(data.fromNs + b * bucketNs)
      const x1 = xOf(data.fromNs + (b + 1) * bucketNs)
      context.globalAlpha = 0.12 + (0.35 * Math.log1p(count)) / Math.log1p(max)
      context.fillRect(x0, lane.top + 2, Math.max(1, x1 - x0), lane.height - 4)
    })
  })
  context.globalAlpha = 1
}

function drawEvent(context: CanvasRenderingContext2D, event: TimelineEvent, state: DrawState) {
  const { x, y, w, h } = eventRect(event, state.view, state.width, state.lanes)
  if (x > state.width || x + w < LABEL_W) return
  if (event.kind === 'timeout') {
    context.fillStyle = state.colors('--danger')
    context.fillRect(Math.round(x), AXIS_H, 2, state.height - AXIS_H)
    return
  }
  context.fillStyle = state.colors(eventColorVar(event))
  context.globalAlpha = event.kind === 'deferral' ? 0.55 : 0.9
  context.fillRect(x, y, w, h)
  context.globalAlpha = 1
  if (w > 48) {
    context.save()
    context.beginPath()
    context.rect(x, y, w, h)
    context.clip()
    context.fillStyle = state.colors('--tl-label')
    context.fillText(eventLabel(event), Math.max(x, LABEL_W) + 3, y + h / 2)
    context.restore()
  }
}
