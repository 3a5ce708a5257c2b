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
import { DtsSyntaxError, filesResolver, parseDts } from '../../hardware/dts'
import { writeDts } from '../../hardware/dts-writer'
import { FdtError, readFdt } from '../../hardware/fdt'
import { writeFdt } from '../../hardware/fdt-writer'
import { applyLabels, collectLabels, type LabelMap } from '../../hardware/labels'
import type { ProfileFile } from '../../hardware/profile-schema'
import { treeFromData, treeToData } from '../../hardware/tree-data'
import { validateTree } from '../../hardware/validate'
import { kernelCompatibles } from '../../catalog/kernel-compatibles'
import type { KernelRegistry } from '../../catalog/kernel-registry'
import type { Store } from '../../store/database'
import type { ImportedProfileRow } from '../../store/profiles-repository'
import type { ApiHandlers, ImportProfileRequest, ProfileSummary } from '../contract'
import { memoryFor, withMemory } from '../../hardware/memory-fill'
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
    memoryBytes: Number(boardFacts(tree, memoryFor(tree, profile.memory).memory).memory.size),
    ...(memoryFor(tree, profile.memory).assumed ? { memoryAssumed: true } : {}),
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

const sha256Of = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex')

/** A .dtb or .dts handed over for import, read into a tree; bad input is the caller's error. */
function readImport(request: ImportProfileRequest): { tree: DeviceTree; blob: Uint8Array } {
  if ('dtb' in request) {
    const blob = new Uint8Array(Buffer.from(request.dtb, 'base64'))
    try {
      return { tree: readFdt(blob), blob }
    } catch (error) {
      if (error instanceof FdtError)
        throw new ApiError('invalid-request', `${request.fileName}: ${error.message}`)
      throw error
    }
  }
  const files = new Map(Object.entries(request.includeFiles ?? {}))
  try {
    const tree = parseDts(request.sourcePath ?? request.fileName, request.dts, {
      resolver: filesResolver(files, request.includeDirs ?? []),
    })
    return { tree, blob: writeFdt(tree) }
  } catch (error) {
    if (error instanceof DtsSyntaxError)
      throw new ApiError('invalid-request', error.message, error.missingInclude)
    throw error
  }
}

export function createProfilesService(
  builtins: readonly BuiltinProfile[],
  store: Store,
  kernels: KernelRegistry,
): Pick<
  ApiHandlers,
  | 'profiles:list'
  | 'profiles:import'
  | 'profiles:delete'
  | 'profiles:export'
  | 'profiles:validate'
  | 'profiles:tree'
  | 'profiles:create'
  | 'profiles:save'
> {
  const builtinOf = (id: string) => builtins.find((profile) => profile.file.id === id)
  const rowOf = (id: string) => {
    const row = store.profiles.get(id)
    if (!row) throw new ApiError('not-found', `no profile with id ${id}`)
    return row
  }
  const rowTree = (row: ImportedProfileRow) =>
    applyLabels(readFdt(row.dtb), JSON.parse(row.labels) as LabelMap)
  const treeOf = (id: string): DeviceTree => builtinOf(id)?.tree ?? rowTree(rowOf(id))
  const builtinSummaries = builtins.map(summarizeProfile)
  const taken = (id: string) => builtinOf(id) !== undefined || store.profiles.get(id) !== undefined
  // Parsing a large blob on every list would be wasteful: summaries are kept by content.
  const summaries = new Map<string, ProfileSummary>()
  const importedSummary = (row: ImportedProfileRow) => {
    const key = `${row.id}\0${row.updatedAt}\0${row.sha256}`
    let summary = summaries.get(key)
    if (!summary) {
      summary = summarize(describeImported(row), readFdt(row.dtb), false)
      summaries.set(key, summary)
    }
    return summary
  }
  const bootargsOf = (tree: DeviceTree) => {
    const chosen = findChild(tree.root, 'chosen')
    return (chosen && stringValue(chosen, 'bootargs')) ?? ''
  }
  const writable = (id: string) => {
    if (builtinOf(id)) {
      throw new ApiError(
        'invalid-request',
        `${id} is a built-in profile; built-in profiles are read-only (clone it to edit)`,
      )
    }
    return rowOf(id)
  }

  return {
    'profiles:list': () => [...builtinSummaries, ...store.profiles.list().map(importedSummary)],
    'profiles:import': (request) => {
      const { tree, blob } = readImport(request)
      const sha256 = sha256Of(blob)
      const existing = store.profiles.findBySha256(sha256)
      if (existing) {
        throw new ApiError(
          'invalid-request',
          `${request.fileName} is already imported as "${existing.name}" (${existing.id})`,
        )
      }
      const row = store.profiles.create({
        id: freeId(request.name, taken),
        name: request.name,
        description: `Imported from ${request.fileName}`,
        bootargs: bootargsOf(tree),
        sourceFile: request.fileName,
        sha256,
        dtb: blob,
        labels: JSON.stringify(collectLabels(tree)),
      })
      return importedSummary(row)
    },
    'profiles:tree': ({ id }) => {
      const builtin = builtinOf(id)
      if (builtin)
        return {
          summary: summarizeProfile(builtin),
          tree: treeToData(withMemory(builtin.tree, builtin.file.memory)),
        }
      const row = rowOf(id)
      return { summary: importedSummary(row), tree: treeToData(rowTree(row)) }
    },
    'profiles:create': ({ name, description, bootargs, tree, sourceFile, id }) => {
      if (id !== undefined && taken(id))
        throw new ApiError('invalid-request', `the id ${id} is taken already`)
      const parsed = treeFromData(tree)
      const blob = writeFdt(parsed)
      const row = store.profiles.create({
        id: id ?? freeId(name, taken),
        name,
        description: description ?? '',
        bootargs: bootargs ?? '',
        sourceFile: sourceFile ?? 'modlab editor',
        sha256: sha256Of(blob),
        dtb: blob,
        labels: JSON.stringify(collectLabels(parsed)),
      })
      return importedSummary(row)
    },
    'profiles:save': ({ id, name, description, bootargs, tree }) => {
      writable(id)
      const parsed = treeFromData(tree)
      const blob = writeFdt(parsed)
      const row = store.profiles.update(id, {
        name,
        description,
        bootargs,
        sha256: sha256Of(blob),
        dtb: blob,
        labels: JSON.stringify(collectLabels(parsed)),
      })
      if (!row) throw new ApiError('not-found', `no profile with id ${id}`)
      return importedSummary(row)
    },
    'profiles:export': ({ id, format }) => {
      const tree = treeOf(id)
      const stored = store.profiles.get(id)?.dtb
      const content =
        format === 'dts' ? writeDts(tree) : Buffer.from(stored ?? writeFdt(tree)).toString('base64')
      return { fileName: `${id}.${format}`, format, content }
    },
    'profiles:validate': ({ id, tree, kernel }) => {
      const checked = tree ? treeFromData(tree) : treeOf(id as string)
      if (kernel === undefined) return validateTree(checked)
      const chosen = kernels.find(kernel)
      if (!chosen) throw new ApiError('not-found', `no kernel with id ${kernel}`)
      return validateTree(checked, {
        knownCompatibles: kernelCompatibles(chosen),
        kernelName: chosen.name,
      })
    },
    'profiles:delete': ({ id }) => {
      writable(id)
      if (!store.profiles.delete(id)) throw new ApiError('not-found', `no profile with id ${id}`)
      return { id }
    },
  }
}
