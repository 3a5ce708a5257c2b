import { findChild, stringValue, type DeviceTree } from '../../hardware/devicetree'
import { DtsSyntaxError, filesResolver, parseDts } from '../../hardware/dts'
import { FdtError, readFdt } from '../../hardware/fdt'
import { writeFdt } from '../../hardware/fdt-writer'
import { applyLabels, collectLabels, type LabelMap } from '../../hardware/labels'
import { treeFromData, type TreeData } from '../../hardware/tree-data'
import { validateTree, type Finding } from '../../hardware/validate'
import type { ImportProfileRequest } from '../contract'
import { ApiError } from '../errors'
import { treeFacts, type TreeFacts } from './tree-facts'

/**
 * The work on a user's board that may take long (reading a .dts or .dtb, checking a tree): plain
 * data in and out, so that a host can run it on a worker thread with a deadline.
 */
export type BoardJob =
  | { kind: 'import'; request: ImportProfileRequest }
  | {
      kind: 'validate'
      tree: TreeData | { dtb: Uint8Array; labels: LabelMap }
      knownCompatibles?: string[]
      kernelName?: string
    }

export interface ImportedBoard {
  blob: Uint8Array
  labels: LabelMap
  /** `/chosen/bootargs`, or ''. */
  bootargs: string
  /** The profile summary's facts of the tree, read where the tree was. */
  facts: TreeFacts
}

export type BoardJobResult<J extends BoardJob> = J extends { kind: 'import' }
  ? ImportedBoard
  : Finding[]

/** Runs a job where it is (a worker, or the caller's thread). */
export type BoardRunner = <J extends BoardJob>(job: J) => Promise<BoardJobResult<J>>

export function runBoardJob(job: BoardJob): ImportedBoard | Finding[] {
  if (job.kind === 'import') {
    const { tree, blob } = readImport(job.request)
    const chosen = findChild(tree.root, 'chosen')
    const bootargs = (chosen && stringValue(chosen, 'bootargs')) ?? ''
    return { blob, labels: collectLabels(tree), bootargs, facts: treeFacts(tree) }
  }
  const tree =
    'dtb' in job.tree ? applyLabels(readFdt(job.tree.dtb), job.tree.labels) : treeFromData(job.tree)
  return validateTree(
    tree,
    job.knownCompatibles
      ? { knownCompatibles: new Set(job.knownCompatibles), kernelName: job.kernelName ?? '' }
      : undefined,
  )
}

/** Runs jobs on the caller's thread (the CLI, tests). */
export const inlineBoardRunner: BoardRunner = async (job) =>
  runBoardJob(job) as BoardJobResult<typeof job>

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
