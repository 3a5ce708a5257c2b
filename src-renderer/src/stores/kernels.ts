import type { KernelImportRequest, KernelImportSummary, KernelSummary } from '@api/contract'
import { defineStore } from 'pinia'
import { reactive, ref } from 'vue'
import { describeError, modlab } from '../api'
import { useLabStore } from './lab'

/** The kernel profiles: listing, importing a build from the host's disk, deleting imported ones. */
export const useKernelsStore = defineStore('kernels', () => {
  const kernels = ref<KernelSummary[]>([])
  const loaded = ref(false)
  /** A failure of listing or deleting (an import's failure is `importError`). */
  const error = ref('')
  const importing = ref(false)
  /** When the running import started (ms since the epoch), for its elapsed time. */
  const importStarted = ref(0)
  const importError = ref('')
  const imported = ref<KernelImportSummary>()
  /** The import form's fields, kept here so that they outlive a visit to another view. */
  const form = reactive({ path: '', name: '', config: '', symvers: '', systemMap: '' })

  async function load() {
    try {
      kernels.value = await modlab.kernels.list()
      error.value = ''
    } catch (failure) {
      error.value = describeError(failure)
    } finally {
      loaded.value = true
    }
  }

  /** The form as a request: values trimmed, empty optional fields left out. */
  function request(): KernelImportRequest {
    const result: KernelImportRequest = { path: form.path.trim() }
    for (const key of ['name', 'config', 'symvers', 'systemMap'] as const) {
      const value = form[key].trim()
      if (value) result[key] = value
    }
    return result
  }

  /** Imports the build the form names; true when it was imported. */
  async function importBuild(): Promise<boolean> {
    if (importing.value || !form.path.trim()) return false
    importing.value = true
    importStarted.value = Date.now()
    importError.value = ''
    imported.value = undefined
    try {
      imported.value = await modlab.kernels.import(request())
      Object.assign(form, { path: '', name: '', config: '', symvers: '', systemMap: '' })
      await load()
      return true
    } catch (failure) {
      importError.value = describeError(failure)
      return false
    } finally {
      importing.value = false
    }
  }

  async function remove(id: string) {
    try {
      await modlab.kernels.delete({ id })
      if (imported.value?.id === id) imported.value = undefined
      // The Lab must not keep offering a kernel that is gone.
      const lab = useLabStore()
      if (lab.kernel === id) lab.kernel = ''
      await Promise.all([load(), lab.loadKernels()])
    } catch (failure) {
      error.value = describeError(failure)
    }
  }

  return {
    kernels,
    loaded,
    error,
    importing,
    importStarted,
    importError,
    imported,
    form,
    load,
    importBuild,
    remove,
  }
})
