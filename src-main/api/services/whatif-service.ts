import type { LabRunner } from '../../sessions/lab-engine'
import type { Store } from '../../store/database'
import type { ApiHandlers } from '../contract'

/** The what-if, run where the Lab's machines run (a worker thread in the hosts). */
export function createWhatIfService(
  store: Store,
  runLab: LabRunner,
  where: { resources: string; userKernels?: string },
): Pick<ApiHandlers, 'whatif:run'> {
  return {
    'whatif:run': (request) => {
      const imported: Record<string, { dtb: Uint8Array; bootargs: string }> = {}
      for (const id of request.profiles === 'all' ? [] : request.profiles) {
        const stored = store.profiles.get(id)
        if (stored) imported[id] = stored
      }
      return runLab({ kind: 'lab-whatif', request: { ...request, ...where, imported } })
    },
  }
}
