import type { SessionRecord } from '@api/contract'
import { defineStore } from 'pinia'
import { ref } from 'vue'
import { describeError, modlab } from '../api'

export const useSessionsStore = defineStore('sessions', () => {
  const sessions = ref<SessionRecord[]>([])
  const loaded = ref(false)
  const error = ref('')

  /** Runs one request; a failure lands in `error` and the list is reloaded from the store of truth. */
  async function attempt(action: () => Promise<unknown>): Promise<boolean> {
    try {
      await action()
      error.value = ''
      return true
    } catch (failure) {
      error.value = describeError(failure)
      return false
    } finally {
      await refresh()
    }
  }

  async function refresh() {
    try {
      sessions.value = await modlab.sessions.list()
    } catch (failure) {
      error.value = describeError(failure)
    } finally {
      loaded.value = true
    }
  }

  return {
    sessions,
    loaded,
    error,
    load: refresh,
    create: (name: string) => attempt(() => modlab.sessions.create({ name })),
    rename: (id: number, name: string) => attempt(() => modlab.sessions.rename({ id, name })),
    remove: (id: number) => attempt(() => modlab.sessions.delete({ id })),
    dismissError: () => (error.value = ''),
  }
})
