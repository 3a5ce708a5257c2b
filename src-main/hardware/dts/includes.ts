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
 * The included file `name`, found as `#include` (or `/include/`, which is always quoted) finds it;
 * a missing file or nesting past the limit is a DtsSyntaxError at the directive.
 */
export function findInclude(
  resolver: IncludeResolver,
  request: { name: string; from: string; quoted: boolean; depth: number; directive: string },
  location: SourceLocation,
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
    const text = resolver.read(path)
    if (text !== undefined) return { path, text }
  }
  const hint = searched.length === 0 ? ' (no include directories were given)' : ''
  throw new DtsSyntaxError(location, `cannot find included file ${name}${hint}`, {
    name,
    searched,
  })
}
