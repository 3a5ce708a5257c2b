import type { ModulesState, ShellCommandResult } from '@api/contract'
import { defineStore } from 'pinia'
import { ref } from 'vue'
import { describeError, modlab } from '../api'
import { useLabStore } from './lab'

/** The running boot's modules and its kernel shell: every action goes through the shell and is recorded. */
export const useModulesStore = defineStore('modules', () => {
  const state = ref<ModulesState>()
  const transcript = ref<ShellCommandResult[]>([])
  /** Commands typed, oldest first, for arrow-key history. */
  const typed = ref<string[]>([])
  /** The last action started from the modules panel, shown in place. */
  const lastAction = ref<ShellCommandResult>()
  const running = ref(false)
  const error = ref('')
  let bootId = 0
  /** The fetch of a new boot's modules, which the shell's Tab waits for instead of completing from nothing. */
  let attaching: Promise<void> = Promise.resolve()

  function attach(id: number): Promise<void> {
    if (id === bootId) return attaching
    bootId = id
    transcript.value = []
    lastAction.value = undefined
    error.value = ''
    state.value = undefined
    attaching = modlab.lab.modules({ bootId: id }).then(
      (fetched) => {
        if (id === bootId) state.value = fetched
      },
      (failure: unknown) => {
        if (id === bootId) error.value = describeError(failure)
      },
    )
    return attaching
  }

  /** Resolves once the shown boot's modules are known. */
  const ready = () => attaching

  /** Runs a command line on the boot's shell; returns its results (one per `;`-separated command). */
  async function run(command: string, fromPanel = false): Promise<ShellCommandResult[]> {
    if (!bootId || !command.trim()) return []
    running.value = true
    error.value = ''
    try {
      const shell = await modlab.lab.shell({ bootId, command, via: fromPanel ? 'panel' : 'shell' })
      if (!fromPanel) typed.value.push(command)
      transcript.value = [...transcript.value, ...shell.results]
      state.value = shell.modules
      if (fromPanel) lastAction.value = shell.results.at(-1)
      useLabStore().applyShell(shell)
      return shell.results
    } catch (failure) {
      error.value = describeError(failure)
      return []
    } finally {
      running.value = false
    }
  }

  return { state, transcript, typed, lastAction, running, error, attach, ready, run }
})
