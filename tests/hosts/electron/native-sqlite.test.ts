import { mkdirSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import {
  electronNativeBinding,
  ELECTRON_NATIVE_DIR,
} from '../../../src-main/hosts/electron/native-sqlite'
import { useTempDir } from '../../store/helpers'

const tempDir = useTempDir()

describe('electronNativeBinding', () => {
  it('returns the Electron build of better-sqlite3 only when it matches the running Electron', () => {
    const root = tempDir()
    expect(electronNativeBinding(root, '45.4.1')).toBeUndefined()
    const release = join(root, ELECTRON_NATIVE_DIR, 'better-sqlite3', 'build', 'Release')
    mkdirSync(release, { recursive: true })
    writeFileSync(join(release, 'better_sqlite3.node'), '')
    writeFileSync(join(root, ELECTRON_NATIVE_DIR, 'electron-version'), '45.4.1\n')
    expect(electronNativeBinding(root, '45.4.1')).toBe(join(release, 'better_sqlite3.node'))
    expect(electronNativeBinding(root, '46.0.0')).toBeUndefined()
    expect(electronNativeBinding(root, undefined)).toBeUndefined()
  })
})
