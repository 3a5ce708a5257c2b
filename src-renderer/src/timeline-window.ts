import type { TimelineWindow } from '@api/contract'
import { ref, shallowRef } from 'vue'
import { describeError, modlab } from './api'
import { LABEL_W, type View } from './timeline-draw'

const MIN_SPAN = 1_000

/**
 * The stretch of a boot's timeline on screen and the events fetched for it: zooming and panning
 * move the window, and each move asks the main process for the events in it, one request at a time.
 */
export function useTimelineWindow(bootId: () => number, endNs: () => number) {
  const data = shallowRef<TimelineWindow>()
  let initialView: View = { fromNs: 0, toNs: Math.max(endNs(), 1) }
  const view = shallowRef<View>(initialView)
  const width = ref(800)
  const error = ref('')

  const fullEnd = () => Math.max(data.value?.endNs ?? endNs(), 1)

  let fetching = false
  let again = false
  async function fetchWindow() {
    if (fetching) return void (again = true)
    fetching = true
    const asked = view.value
    try {
      const reply = await modlab.lab.timeline({
        bootId: bootId(),
        fromNs: Math.max(0, asked.fromNs),
        toNs: Math.max(asked.toNs, asked.fromNs + 1),
        buckets: Math.max(1, Math.round(width.value)),
        limit: 4000,
      })
      if (reply.bootId !== bootId()) return
      const first = !data.value
      data.value = reply
      // The trace may run past the last line (a timer that printed nothing): the first view fits it.
      if (first && asked === initialView) fit()
      error.value = ''
    } catch (failure) {
      error.value = describeError(failure)
    } finally {
      fetching = false
      if (again) {
        again = false
        void fetchWindow()
      }
    }
  }

  function setView(fromNs: number, toNs: number) {
    const end = fullEnd()
    let span = Math.min(Math.max(toNs - fromNs, MIN_SPAN), end * 1.2)
    let from = Math.min(Math.max(fromNs, -end * 0.1), end * 1.1 - span)
    if (span > end) from = Math.min(from, 0)
    if (!Number.isFinite(from)) [from, span] = [0, end]
    view.value = { fromNs: from, toNs: from + span }
    void fetchWindow()
  }
  const span = () => view.value.toNs - view.value.fromNs
  const nsAt = (px: number) =>
    view.value.fromNs + ((px - LABEL_W) / (width.value - LABEL_W)) * span()
  function zoom(factor: number, aroundPx = LABEL_W + (width.value - LABEL_W) / 2) {
    const at = nsAt(aroundPx)
    setView(at - (at - view.value.fromNs) * factor, at + (view.value.toNs - at) * factor)
  }
  const fit = () => setView(0, fullEnd() * 1.02)
  const pan = (fraction: number) =>
    setView(view.value.fromNs + span() * fraction, view.value.toNs + span() * fraction)

  /** Another boot: nothing fetched yet, and the view fitted to its last record. */
  function reset() {
    data.value = undefined
    view.value = initialView = { fromNs: 0, toNs: Math.max(endNs(), 1) }
    void fetchWindow()
  }

  return { data, view, width, error, fetchWindow, setView, span, zoom, fit, pan, reset }
}
