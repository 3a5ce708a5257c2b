import { createHash } from 'node:crypto'
import { boardFacts } from '../../hardware/board-facts'
import type { BuiltinProfile } from '../../hardware/builtin-profiles'
import {
  countCpus,
  countNodes,
  findChild,
  stringList,
  stringValue,
  type DeviceTree,
} from '../../hardware/devicetree'
import { writeDts } from '../../hardware/dts-writer'
import { FdtError, readFdt } from '../../hardware/fdt'
import { writeFdt } from '../../hardware/fdt-writer'
import type { ProfileFile } from '../../hardware/profile-schema'
import { validateTree } from '../../hardware/validate'
import { kernelCompatibles } from '../../catalog/kernel-compatibles'
import type { KernelProfile } from '../../catalog/kernel-profile-schema'
import type { Store } from '../../store/database'
import type { ImportedProfileRow } from '../../store/profiles-repository'
import type { ApiHandlers, ProfileSummary } from '../contract'
import { ApiError } from '../errors'

type Described = Pick<ProfileFile, 'id' | 'name' | 'description' | 'bootargs' | 'source' | 'memory'>

function summarize(profile: Described, tree: DeviceTree, builtIn: boolean): ProfileSummary {
  return {
    id: profile.id,
    name: profile.name,
    description: profile.description,
    model: stringValue(tree.root, 'model') ?? '',
    compatible: stringList(tree.root.properties.find((property) => property.name === 'compatible')),
    nodeCount: countNodes(tree.root),
    cpuCount: countCpus(tree),
    memoryBytes: Number(boardFacts(tree, profile.memory).memory.size),
    bootargs: profile.bootargs,
    builtIn,
    source: profile.source,
  }
}

export function summarizeProfile({ file, tree }: BuiltinProfile): ProfileSummary {
  return summarize(file, tree, true)
}

function describeImported(row: ImportedProfileRow): Described {
  return {
    id: row.id,
    name: row.name,
    description: row.description,
    bootargs: row.bootargs,
    source: {
      generator: `imported from ${row.sourceFile}`,
      tool: 'modlab profile import',
      sha256: row.sha256,
    },
  }
}

/** `My Board v2` → `my-board-v2`, unique among the ids already taken. */
function freeId(name: string, taken: (id: string) => boolean): string {
  const base =
    name
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, '-')
      .replace(/^-+|-+$/g, '')
      .slice(0, 48) || 'board'
  let id = base
  for (let n = 2; taken(id); n++) id = `${base}-${n}`
  return id
}

export function createProfilesService(
  builtins: readonly BuiltinProfile[],
  store: Store,
  kernels: readonly KernelProfile[],
): Pick<
  ApiHandlers,
  'profiles:list' | 'profiles:import' | 'profiles:delete' | 'profiles:export' | 'profiles:validate'
> {
  const treeOf = (id: string): DeviceTree => {
    const builtin = builtins.find((profile) => profile.file.id === id)
    if (builtin) return builtin.tree
    const row = store.profiles.get(id)
    if (!row) throw new ApiError('not-found', `no profile with id ${id}`)
    return readFdt(row.dtb)
  }
  const builtinSummaries = builtins.map(summarizeProfile)
  const isBuiltin = (id: string) => builtins.some((profile) => profile.file.id === id)
  // Parsing a large blob on every list would be wasteful: summaries are kept by content.
  const summaries = new Map<string, ProfileSummary>()
  const importedSummary = (row: ImportedProfileRow) => {
    let summary = summaries.get(row.sha256)
    if (!summary || summary.id !== row.id) {
      summary = summarize(describeImported(row), readFdt(row.dtb), false)
      summaries.set(row.sha256, summary)
    }
    return summary
  }
  return {
    'profiles:list': () => [...builtinSummaries, ...store.profiles.list().map(importedSummary)],
    'profiles:import': ({ name, fileName, dtb }) => {
      const bytes = new Uint8Array(Buffer.from(dtb, 'base64'))
      let tree: DeviceTree
      try {
        tree = readFdt(bytes)
      } catch (error) {
        if (error instanceof FdtError)
          throw new ApiError('invalid-request', `${fileName}: ${error.message}`)
        throw error
      }
      const sha256 = createHash('sha256').update(bytes).digest('hex')
      const existing = store.profiles.findBySha256(sha256)
      if (existing) {
        throw new ApiError(
          'invalid-request',
          `${fileName} is already imported as "${existing.name}" (${existing.id})`,
        )
      }
      const chosen = findChild(tree.root, 'chosen')
      const row = store.profiles.create({
        id: freeId(name, (id) => isBuiltin(id) || store.profiles.get(id) !== undefined),
        name,
        description: `Imported from ${fileName}`,
        bootargs: (chosen && stringValue(chosen, 'bootargs')) ?? '',
        sourceFile: fileName,
        sha256,
        dtb: bytes,
      })
      return importedSummary(row)
    },
    'profiles:export': ({ id, format }) => {
      const tree = treeOf(id)
      const stored = store.profiles.get(id)?.dtb
      const content =
        format === 'dts' ? writeDts(tree) : Buffer.from(stored ?? writeFdt(tree)).toString('base64')
      return { fileName: `${id}.${format}`, format, content }
    },
    'profiles:validate': ({ id, kernel }) => {
      const tree = treeOf(id)
      if (kernel === undefined) return validateTree(tree)
      const chosen = kernels.find((profile) => profile.id === kernel)
      if (!chosen) throw new ApiError('not-found', `no kernel with id ${kernel}`)
      return validateTree(tree, {
        knownCompatibles: kernelCompatibles(chosen),
        kernelName: chosen.name,
      })
    },
    'profiles:delete': ({ id }) => {
      if (isBuiltin(id))
        throw new ApiError(
          'invalid-request',
          `${id} is a built-in profile; built-in profiles are read-only`,
        )
      if (!store.profiles.delete(id)) throw new ApiError('not-found', `no profile with id ${id}`)
      return { id }
    },
  }
}
