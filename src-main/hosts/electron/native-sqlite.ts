import { existsSync, readFileSync } from 'node:fs'
import { join } from 'node:path'

export const ELECTRON_NATIVE_DIR = '.electron-native'

/**
 * The better-sqlite3 addon that scripts/electron-native.mjs built for Electron's ABI, when it
 * matches the running Electron. A packaged app has its addon rebuilt in place by electron-builder,
 * so there it returns undefined and the default binding is used.
 */
export function electronNativeBinding(
  root: string,
  electronVersion: string | undefined,
): string | undefined {
  const dir = join(root, ELECTRON_NATIVE_DIR)
  const addon = join(dir, 'better-sqlite3', 'build', 'Release', 'better_sqlite3.node')
  const stamp = join(dir, 'electron-version')
  if (!electronVersion || !existsSync(addon) || !existsSync(stamp)) return undefined
  return readFileSync(stamp, 'utf8').trim() === electronVersion ? addon : undefined
}
