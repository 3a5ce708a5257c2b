import { readDerived, writeDerived } from '../catalog/derived-cache'
import type { DepmodOutput } from './depmod'

const KIND = 'depmod'

interface Stored {
  files: Record<string, string>
  warnings: string[]
  dependencies: [string, string[]][]
}

const isStrings = (value: unknown): value is string[] =>
  Array.isArray(value) && value.every((item) => typeof item === 'string')

/** A stored run in the shape `depmod()` returns, or undefined for anything else. */
function decode(body: string): DepmodOutput | undefined {
  const stored = JSON.parse(body) as Stored
  if (!stored || typeof stored !== 'object' || !isStrings(stored.warnings)) return undefined
  const files = stored.files
  if (!files || typeof files !== 'object' || !isStrings(Object.values(files))) return undefined
  if (!Array.isArray(stored.dependencies)) return undefined
  for (const entry of stored.dependencies)
    if (!Array.isArray(entry) || typeof entry[0] !== 'string' || !isStrings(entry[1]))
      return undefined
  return { files, warnings: stored.warnings, dependencies: new Map(stored.dependencies) }
}

/**
 * depmod's run over the module tree of the profile whose content digest is `digest`: taken from
 * the disk cache when this code stored it, else run and stored. The tree is a function of the
 * profile's content, so the stored run is the one `run` would give.
 */
export function cachedDepmod(digest: string, run: () => DepmodOutput): DepmodOutput {
  try {
    const body = readDerived(KIND, digest)
    const stored = body === undefined ? undefined : decode(body)
    if (stored) return stored
  } catch {
    // An unreadable entry is a miss: it is run and written again.
  }
  const output = run()
  const stored: Stored = {
    files: output.files,
    warnings: output.warnings,
    dependencies: [...output.dependencies],
  }
  writeDerived(KIND, digest, JSON.stringify(stored))
  return output
}
