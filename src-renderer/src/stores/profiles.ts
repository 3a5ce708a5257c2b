import type { ProfileDetail, ProfileFinding, ProfileSummary } from '@api/contract'
import { defineStore } from 'pinia'
import { ref } from 'vue'
import { MAX_BLOB_BYTES, mebibytes } from '@hardware/file-limits'
import { describeError, modlab } from '../api'

/** A file's bytes as base64, in chunks so that large blobs do not overflow the call stack. */
async function base64Of(file: File): Promise<string> {
  const bytes = new Uint8Array(await file.arrayBuffer())
  let binary = ''
  for (let at = 0; at < bytes.length; at += 0x8000)
    binary += String.fromCharCode(...bytes.subarray(at, at + 0x8000))
  return btoa(binary)
}

export const useProfilesStore = defineStore('profiles', () => {
  const profiles = ref<ProfileSummary[]>([])
  const loaded = ref(false)
  const error = ref('')

  async function load() {
    try {
      profiles.value = await modlab.profiles.list()
      error.value = ''
    } catch (failure) {
      error.value = describeError(failure)
    } finally {
      loaded.value = true
    }
  }

  /** Imports a .dtb; returns the new profile's id, or undefined when it was refused. */
  async function importDtb(file: File): Promise<string | undefined> {
    if (file.size === 0) {
      error.value = `${file.name} is empty: a devicetree blob starts with the magic 0xd00dfeed`
      return undefined
    }
    // Refused here, before it is encoded: an over-size request would only lose the connection.
    if (file.size > MAX_BLOB_BYTES) {
      error.value = `${file.name} is ${mebibytes(file.size)}; modlab imports devicetree blobs of at most ${mebibytes(MAX_BLOB_BYTES)}`
      return undefined
    }
    try {
      const name = file.name.replace(/\.dtb$/i, '')
      const profile = await modlab.profiles.import({
        name,
        fileName: file.name,
        dtb: await base64Of(file),
      })
      await load()
      return profile.id
    } catch (failure) {
      error.value = describeError(failure)
      return undefined
    }
  }

  /** The profile deleted last, kept so that the deletion can be undone. */
  const lastDeleted = ref<ProfileDetail>()

  async function remove(id: string) {
    try {
      const detail = await modlab.profiles.tree({ id })
      await modlab.profiles.delete({ id })
      lastDeleted.value = detail
      await load()
    } catch (failure) {
      error.value = describeError(failure)
    }
  }

  /** Brings the profile deleted last back, under its id. */
  async function undoDelete() {
    const detail = lastDeleted.value
    if (!detail) return
    try {
      const { summary } = detail
      await modlab.profiles.create({
        id: summary.id,
        name: summary.name,
        description: summary.description,
        bootargs: summary.bootargs,
        tree: detail.tree,
        sourceFile: summary.source.generator.replace(/^imported from /, ''),
      })
      lastDeleted.value = undefined
      await load()
    } catch (failure) {
      error.value = describeError(failure)
    }
  }

  /** Downloads the profile as `<id>.dts` or `<id>.dtb`. */
  async function exportAs(id: string, format: 'dts' | 'dtb') {
    try {
      const exported = await modlab.profiles.export({ id, format })
      const body =
        format === 'dts'
          ? new Blob([exported.content], { type: 'text/plain' })
          : new Blob([Uint8Array.from(atob(exported.content), (c) => c.charCodeAt(0))], {
              type: 'application/octet-stream',
            })
      const link = document.createElement('a')
      link.href = URL.createObjectURL(body)
      link.download = exported.fileName
      link.click()
      URL.revokeObjectURL(link.href)
    } catch (failure) {
      error.value = describeError(failure)
    }
  }

  const findings = ref<ProfileFinding[]>()
  const checkedAgainst = ref('')

  /** Checks a profile against the first kernel profile, as `modlab profile validate --kernel` does. */
  async function check(id: string) {
    findings.value = undefined
    try {
      const [kernel] = await modlab.kernels.list()
      checkedAgainst.value = kernel?.name ?? ''
      findings.value = await modlab.profiles.validate({
        id,
        ...(kernel ? { kernel: kernel.id } : {}),
      })
    } catch (failure) {
      error.value = describeError(failure)
    }
  }

  return {
    profiles,
    loaded,
    error,
    findings,
    checkedAgainst,
    load,
    importDtb,
    remove,
    lastDeleted,
    undoDelete,
    exportAs,
    check,
  }
})
