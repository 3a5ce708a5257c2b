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
