import { join } from 'node:path'
import { loadSeries } from '../../catalog/series/series-loader'
import type { SeriesDefinition } from '../../catalog/series/series-schema'
import type { LabRunner } from '../../sessions/lab-engine'
import type { SessionRecorder } from '../../sessions/recorder'
import { sessionKnown } from './lab-service'
import type { Store } from '../../store/database'
import type { ApiHandlers, SeriesSummary } from '../contract'

/** `merged in 6.18`, `not merged`, `queued for 7.1`. */
export function mergeText({ merged }: SeriesDefinition): string {
  if (merged.status === 'merged') return `merged in ${merged.in}`
  if (merged.status === 'queued') return merged.for ? `queued for ${merged.for}` : 'queued'
  return 'not merged'
}

const summary = (series: SeriesDefinition): SeriesSummary => ({
  name: series.name,
  title: series.title,
  appliesTo: series.appliesTo,
  merged: mergeText(series),
  author: series.source.author,
  date: series.source.date,
  ...(series.source.url ? { url: series.source.url } : {}),
  tristate: series.changes.flatMap((change) =>
    change.kind === 'kconfig_tristate' ? [change.symbol] : [],
  ),
})

/** The what-if, run where the Lab's machines run (a worker thread in the hosts). */
export function createWhatIfService(
  store: Store,
  runLab: LabRunner,
  where: { resources: string; userKernels?: string },
  recorder: SessionRecorder,
): Pick<ApiHandlers, 'whatif:run' | 'series:list'> {
  return {
    'series:list': () => loadSeries(join(where.resources, 'series')).map(summary),
    'whatif:run': async ({ sessionId, ...question }) => {
      if (sessionId !== undefined) sessionKnown(recorder, sessionId)
      const imported: Record<string, { dtb: Uint8Array; bootargs: string }> = {}
      for (const id of question.profiles === 'all' ? [] : question.profiles) {
        const stored = store.profiles.get(id)
        if (stored) imported[id] = stored
      }
      const result = await runLab({
        kind: 'lab-whatif',
        request: { ...question, ...where, imported },
      })
      // Recorded as one action of the session, replayed by REPLAYERS.whatif.
      if (sessionId !== undefined)
        recorder.record(sessionId, { kind: 'whatif', ...question }, result)
      return result
    },
  }
}
