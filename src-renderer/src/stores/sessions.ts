import type { SessionRecord } from '@api/contract'
import { defineStore } from 'pinia'
import { computed, ref, watch } from 'vue'
import { describeError, modlab } from '../api'

const CURRENT_KEY = 'modlab.currentSession'

export const useSessionsStore = defineStore('sessions', () => {
  const sessions = ref<SessionRecord[]>([])
  const loaded = ref(false)
  const error = ref('')
  /** The session the Lab's boots go into, chosen or created by the user; kept across reloads. */
  const currentId = ref<number | undefined>(Number(localStorage.getItem(CURRENT_KEY)) || undefined)
  watch(currentId, (id) =>
    id ? localStorage.setItem(CURRENT_KEY, String(id)) : localStorage.removeItem(CURRENT_KEY),
  )
  const current = computed(() => sessions.value.find((session) => session.id === currentId.value))

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
      // A session deleted (or a data folder changed) since it was chosen is no longer current.
      if (!sessions.value.some((session) => session.id === currentId.value))
        currentId.value = undefined
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
    currentId,
    current,
    load: refresh,
    /** A new session becomes the current one: the next boot goes into it. */
    create: (name: string) =>
      attempt(async () => (currentId.value = (await modlab.sessions.create({ name })).id)),
    choose: (id: number) => (currentId.value = id),
    /** The sidebar's "New session": a name from the date, made current. */
    createNew: () =>
      attempt(async () => {
        const stamp = new Date().toISOString().slice(0, 16).replace('T', ' ')
        currentId.value = (await modlab.sessions.create({ name: `Session ${stamp}` })).id
      }),
    /** A session export file's text, stored as a new session (refused whole when it is damaged). */
    importExport: (content: string) => attempt(() => modlab.sessions.import({ content })),
    rename: (id: number, name: string) => attempt(() => modlab.sessions.rename({ id, name })),
    remove: (id: number) => attempt(() => modlab.sessions.delete({ id })),
    dismissError: () => (error.value = ''),
  }
})
