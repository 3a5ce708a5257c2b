import { createHash } from 'node:crypto'
import type { BuiltinProfile } from '../../hardware/builtin-profiles'
import type { DeviceTree } from '../../hardware/devicetree'
import { writeDts } from '../../hardware/dts-writer'
import { readFdt } from '../../hardware/fdt'
import { writeFdt } from '../../hardware/fdt-writer'
import { applyLabels, collectLabels, type LabelMap } from '../../hardware/labels'
import type { ProfileFile } from '../../hardware/profile-schema'
import { treeFromData, treeToData } from '../../hardware/tree-data'
import { validateTree } from '../../hardware/validate'
import type { KernelRegistry } from '../../catalog/kernel-registry'
import type { Store } from '../../store/database'
import type { ImportedProfileRow } from '../../store/profiles-repository'
import type { ApiHandlers, ProfileSummary } from '../contract'
import { withMemory } from '../../hardware/memory-fill'
import { ApiError } from '../errors'
import { inlineBoardRunner, type BoardRunner } from './board-work'
import { treeFacts, type TreeFacts } from './tree-facts'

type Described = Pick<ProfileFile, 'id' | 'name' | 'description' | 'bootargs' | 'source' | 'memory'>

function summarize(profile: Described, facts: TreeFacts, builtIn: boolean): ProfileSummary {
  const { id, name, description, bootargs, source } = profile
  return { id, name, description, ...facts, bootargs, builtIn, source }
}

function summarizeUnreadable(profile: Described): ProfileSummary {
  const { id, name, description, bootargs, source } = profile
  return {
    id,
    name,
    description,
    model: '',
    compatible: [],
    nodeCount: 0,
    cpuCount: 0,
    memoryBytes: 0,
    bootargs,
    builtIn: false,
    source,
  }
}

export function summarizeProfile({ file, tree }: BuiltinProfile): ProfileSummary {
  return summarize(file, treeFacts(tree, file.memory), true)
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

export function createProfilesService(
  builtins: readonly BuiltinProfile[],
  store: Store,
  kernels: KernelRegistry,
  runBoard: BoardRunner = inlineBoardRunner,
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
  const summaryKey = (row: ImportedProfileRow) => `${row.id}\0${row.updatedAt}\0${row.sha256}`
  const importedSummary = (row: ImportedProfileRow) => {
    const key = summaryKey(row)
    let summary = summaries.get(key)
    if (!summary) {
      summary = summarize(describeImported(row), treeFacts(readFdt(row.dtb)), false)
      summaries.set(key, summary)
    }
    return summary
  }
  // One unreadable row (written by an older modlab, or damaged) must not hide the others.
  const listedSummary = (row: ImportedProfileRow): ProfileSummary => {
    try {
      return importedSummary(row)
    } catch (error) {
      const problem = `cannot be read (${error instanceof Error ? error.message : String(error)}); delete it with its id, ${row.id}`
      return {
        ...summarizeUnreadable(describeImported(row)),
        problem,
      }
    }
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
    'profiles:list': () => [...builtinSummaries, ...store.profiles.list().map(listedSummary)],
    'profiles:import': async (request) => {
      const { blob, labels, bootargs, facts } = await runBoard({ kind: 'import', request })
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
        bootargs,
        sourceFile: request.fileName,
        sha256,
        dtb: blob,
        labels: JSON.stringify(labels),
      })
      // The worker read the tree already: the host's thread does not parse it again.
      const summary = summarize(describeImported(row), facts, false)
      summaries.set(summaryKey(row), summary)
      return summary
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
    'profiles:validate': async ({ id, tree, kernel }) => {
      const chosen = kernel === undefined ? undefined : kernels.compatibles(kernel)
      if (kernel !== undefined && !chosen)
        throw new ApiError('not-found', `no kernel with id ${kernel}`)
      const against = chosen && {
        knownCompatibles: [...chosen.compatibles],
        kernelName: chosen.name,
      }
      // A tree handed over is the user's input: checked off this thread. Stored ones were read already.
      if (tree) return runBoard({ kind: 'validate', tree, ...against })
      return validateTree(
        treeOf(id as string),
        against && { ...against, knownCompatibles: new Set(against.knownCompatibles) },
      )
    },
    'profiles:delete': ({ id }) => {
      writable(id)
      if (!store.profiles.delete(id)) throw new ApiError('not-found', `no profile with id ${id}`)
      return { id }
    },
  }
}
