import type { ApiErrorShape } from '@api/contract'
import { defineStore } from 'pinia'
import { ref } from 'vue'
import { MAX_SOURCE_BYTES, mebibytes } from '@hardware/file-limits'
import { describeError, modlab } from '../api'

interface IncludeFolder {
  name: string
  /** The folder's files by their path inside it. */
  files: Map<string, File>
}

/** `I0/dt-bindings/x.h` → the file at `dt-bindings/x.h` in the first picked folder. */
function pickedFile(folders: IncludeFolder[], path: string): File | undefined {
  const match = /^I(\d+)\/(.*)$/.exec(path)
  if (!match) return undefined
  return folders[Number(match[1])]?.files.get(match[2] as string)
}

/**
 * Importing a .dts: the source and the include folders the user picks (`-I`). The main
 * process parses it with the include files handed over so far; each include it lacks is
 * looked up in the picked folders and handed over, until the source parses or an include
 * is in none of them.
 */
export const useSourceImportStore = defineStore('sourceImport', () => {
  const file = ref<File>()
  const folders = ref<IncludeFolder[]>([])
  const error = ref('')
  const busy = ref(false)

  function start(source: File) {
    file.value = source
    folders.value = []
    error.value = ''
  }

  function cancel() {
    file.value = undefined
  }

  /** A folder picked with a directory input. */
  function addFolder(list: FileList) {
    const files = new Map<string, File>()
    let name = ''
    for (const picked of Array.from(list)) {
      const [top, ...rest] = picked.webkitRelativePath.split('/')
      name = top ?? ''
      files.set(rest.join('/'), picked)
    }
    if (files.size > 0) folders.value = [...folders.value, { name, files }]
    error.value = ''
  }

  /** Returns the new profile's id, or undefined (with `error` set) when it was refused. */
  async function run(): Promise<string | undefined> {
    const source = file.value
    if (!source) return undefined
    if (source.size > MAX_SOURCE_BYTES) {
      error.value = `${source.name} is ${mebibytes(source.size)}; modlab reads devicetree sources of at most ${mebibytes(MAX_SOURCE_BYTES)}`
      return undefined
    }
    busy.value = true
    error.value = ''
    const includeDirs = folders.value.map((_, index) => `I${index}`)
    const includeFiles: Record<string, string> = {}
    const dts = await source.text()
    try {
      for (;;) {
        try {
          const profile = await modlab.profiles.import({
            name: source.name.replace(/\.dtsi?$/i, ''),
            fileName: source.name,
            dts,
            includeDirs,
            includeFiles,
          })
          file.value = undefined
          return profile.id
        } catch (failure) {
          const missing = (failure as ApiErrorShape).missingInclude
          const path = missing?.searched.find((candidate) => pickedFile(folders.value, candidate))
          if (!missing || !path || path in includeFiles) {
            error.value = missing
              ? `${describeError(failure)}: it is in none of the folders picked; add the folder that holds it.`
              : describeError(failure)
            return undefined
          }
          includeFiles[path] = await (pickedFile(folders.value, path) as File).text()
        }
      }
    } finally {
      busy.value = false
    }
  }

  return { file, folders, error, busy, start, cancel, addFolder, run }
})
