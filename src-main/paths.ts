import { existsSync, readFileSync } from 'node:fs'
import { homedir } from 'node:os'
import { dirname, join, resolve } from 'node:path'

/** The folder holding modlab's package.json, found by walking up from this file (source, bundle or asar). */
export function appRoot(start: string = __dirname): string {
  for (let dir = resolve(start); ; dir = dirname(dir)) {
    const manifest = join(dir, 'package.json')
    if (existsSync(manifest) && JSON.parse(readFileSync(manifest, 'utf8')).name === 'modlab')
      return dir
    if (dirname(dir) === dir) throw new Error(`cannot find modlab's package.json above ${start}`)
  }
}

export function appVersion(root: string = appRoot()): string {
  return JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')).version
}

export function builtinProfilesDir(root: string = appRoot()): string {
  return join(root, 'resources', 'profiles')
}

/** `$XDG_DATA_HOME/modlab`, else `~/.local/share/modlab`: the web host's and the CLI's default. */
export function defaultDataDir(env: NodeJS.ProcessEnv = process.env): string {
  const xdg = env.XDG_DATA_HOME
  return join(xdg && xdg.startsWith('/') ? xdg : join(homedir(), '.local', 'share'), 'modlab')
}

/** The OS's per-user cache folder for modlab: `$XDG_CACHE_HOME` or `~/.cache`, `~/Library/Caches`, `%LOCALAPPDATA%`. */
export function defaultCacheDir(
  env: NodeJS.ProcessEnv = process.env,
  platform: NodeJS.Platform = process.platform,
): string {
  if (platform === 'darwin') return join(homedir(), 'Library', 'Caches', 'modlab')
  if (platform === 'win32')
    return join(env.LOCALAPPDATA ?? join(homedir(), 'AppData', 'Local'), 'modlab', 'Cache')
  const xdg = env.XDG_CACHE_HOME
  return join(xdg && xdg.startsWith('/') ? xdg : join(homedir(), '.cache'), 'modlab')
}
