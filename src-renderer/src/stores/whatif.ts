import type { SeriesSummary, WhatIfResult } from '@api/contract'
import { defineStore } from 'pinia'
import { reactive, ref } from 'vue'
import { describeError, modlab } from '../api'
import { whatIfChanges, type ChangeValue } from '../whatif-changes'
import { useSessionsStore } from './sessions'

export type { ChangeValue }
export type LoadChoice = 'coldplug' | 'never' | 'at'

/** The question the What-if view asks: kept here so that it outlives a visit to another view. */
export interface WhatIfForm {
  /** Board ids; empty with `allBoards` set. */
  boards: string[]
  allBoards: boolean
  kernel: string
  /** Kconfig symbols (`CONFIG_ARM_SMMU`) or module names (`arm_smmu`), commas or spaces between. */
  target: string
  change: ChangeValue
  series: string[]
  load: LoadChoice
  atSeconds: number
}

export const useWhatIfStore = defineStore('whatif', () => {
  const form = reactive<WhatIfForm>({
    boards: ['db845c'],
    allBoards: false,
    kernel: 'debian-6.12-arm64',
    target: 'CONFIG_ARM_SMMU',
    change: 'm',
    series: [],
    load: 'coldplug',
    atSeconds: 20,
  })
  const series = ref<SeriesSummary[]>([])
  const result = ref<WhatIfResult>()
  /** The question `result` answers, as asked. */
  const asked = ref('')
  const running = ref(false)
  const error = ref('')

  async function loadSeries() {
    if (series.value.length > 0) return
    try {
      series.value = await modlab.series.list()
    } catch (failure) {
      error.value = describeError(failure)
    }
  }

  async function run() {
    let changes: Record<string, ChangeValue>
    try {
      changes = whatIfChanges(form.target, form.change)
    } catch (failure) {
      error.value = describeError(failure)
      return
    }
    if (running.value || Object.keys(changes).length === 0) return
    running.value = true
    error.value = ''
    try {
      // Recorded in the current session when there is one (the sidebar shows it).
      const sessionId = useSessionsStore().currentId
      result.value = await modlab.whatif.run({
        ...(sessionId ? { sessionId } : {}),
        profiles: form.allBoards ? 'all' : form.boards,
        kernel: form.kernel,
        changes,
        series: form.series,
        load: form.load === 'at' ? { kind: 'at', seconds: form.atSeconds } : { kind: form.load },
      })
      asked.value = Object.entries(changes)
        .map(([target, value]) => `${target}=${value}`)
        .join(' ')
    } catch (failure) {
      error.value = describeError(failure)
    } finally {
      running.value = false
    }
  }

  /** Sets the form from a link (the Lab's "what if its driver were a module?", an example). */
  function ask(question: Partial<WhatIfForm>) {
    Object.assign(form, question)
    result.value = undefined
  }

  return { form, series, result, asked, running, error, loadSeries, run, ask }
})
