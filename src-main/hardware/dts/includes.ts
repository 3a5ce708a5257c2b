import { FileTooLargeError } from '../file-limits'
import { DtsSyntaxError, type SourceLocation } from './source-text'

/** Finds the files that `#include` and `/include/` name, on disk or among files handed over. */
export interface IncludeResolver {
  /** Every path `name` is looked for at, in order: quoted names start in the including file's folder. */
  candidates(name: string, from: string, quoted: boolean): string[]
  /** A file's text, or undefined when there is no such file. */
  read(path: string): string | undefined
}

export function dirname(path: string): string {
  const slash = path.lastIndexOf('/')
  return slash <= 0 ? (slash === 0 ? '/' : '.') : path.slice(0, slash)
}

/** `a/b/../c` → `a/c`; keeps a leading `/` and leading `..`. */
export function normalizePath(path: string): string {
  const absolute = path.startsWith('/')
  const parts: string[] = []
  for (const part of path.split('/')) {
    if (part === '' || part === '.') continue
    if (part === '..' && parts.length > 0 && parts[parts.length - 1] !== '..') parts.pop()
    else if (part !== '..' || !absolute) parts.push(part)
  }
  return (absolute ? '/' : '') + parts.join('/')
}

export function joinPath(folder: string, name: string): string {
  return normalizePath(name.startsWith('/') ? name : `${folder}/${name}`)
}

/** cpp's search: `"name"` in the includer's folder first, then every `-I` folder in order. */
export function searchPaths(includeDirs: readonly string[]) {
  return (name: string, from: string, quoted: boolean): string[] => {
    if (name.startsWith('/')) return [normalizePath(name)]
    const folders = quoted ? [dirname(from), ...includeDirs] : includeDirs
    return folders.map((folder) => joinPath(folder, name))
  }
}

/**
 * Files handed over by name (from the renderer, or a test): `files` maps paths such as
 * `I0/dt-bindings/gpio/gpio.h` to their text, and `includeDirs` lists the folders (`I0`, ...).
 */
export function filesResolver(
  files: ReadonlyMap<string, string>,
  includeDirs: readonly string[],
): IncludeResolver {
  return { candidates: searchPaths(includeDirs), read: (path) => files.get(path) }
}

/** cpp refuses deeper nesting; so does modlab, for `#include` and `/include/` alike: it stops loops. */
const MAX_INCLUDE_DEPTH = 200

/**
 * What one parse may read through includes, in all: a file including the next one twice, forty
 * deep, is 2^40 inclusions with no loop. The largest board of linux-source-6.1 takes about 60.
 */
export class IncludeBudget {
  static readonly MAX_INCLUDES = 5_000
  static readonly MAX_BYTES = 64 * 1024 * 1024
  private includes = 0
  private bytes = 0

  /** Counts one inclusion of `text`; past the budget, a DtsSyntaxError at the directive. */
  take(text: string, directive: string, location: SourceLocation): void {
    this.includes++
    this.bytes += text.length
    if (this.includes > IncludeBudget.MAX_INCLUDES) {
      throw new DtsSyntaxError(
        location,
        `more than ${IncludeBudget.MAX_INCLUDES} files included in all (${directive} fanning out?)`,
      )
    }
    if (this.bytes > IncludeBudget.MAX_BYTES) {
      throw new DtsSyntaxError(
        location,
        `the included files pass ${IncludeBudget.MAX_BYTES / (1024 * 1024)} MiB in all (${directive} fanning out?)`,
      )
    }
  }
}

/**
 * The included file `name`, found as `#include` (or `/include/`, which is always quoted) finds it;
 * a missing file, nesting past the limit or a spent budget is a DtsSyntaxError at the directive.
 */
export function findInclude(
  resolver: IncludeResolver,
  request: { name: string; from: string; quoted: boolean; depth: number; directive: string },
  location: SourceLocation,
  budget: IncludeBudget,
): { path: string; text: string } {
  const { name, from, quoted, depth, directive } = request
  if (depth >= MAX_INCLUDE_DEPTH) {
    throw new DtsSyntaxError(
      location,
      `${directive} nested more than ${MAX_INCLUDE_DEPTH} deep (an include loop?)`,
    )
  }
  const searched = resolver.candidates(name, from, quoted)
  for (const path of searched) {
    let text: string | undefined
    try {
      text = resolver.read(path)
    } catch (error) {
      if (error instanceof FileTooLargeError) throw new DtsSyntaxError(location, error.message)
      throw error
    }
    if (text !== undefined) {
      budget.take(text, directive, location)
      return { path, text }
    }
  }
  const hint = searched.length === 0 ? ' (no include directories were given)' : ''
  throw new DtsSyntaxError(location, `cannot find included file ${name}${hint}`, {
    name,
    searched,
  })
}
