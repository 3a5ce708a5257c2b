import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import type { BootResult, ProfileSummary, TreeData } from '../../src-main/api/contract'
import { createAppContext } from '../../src-main/hosts/app-context'
import { useTempDir } from '../store/helpers'
import { call, sessionOf } from './helpers'

const tempDir = useTempDir()
const DB845C = join(__dirname, '..', '..', 'resources', 'profiles', 'db845c', 'board.dtb')

async function memoryLine(context: ReturnType<typeof createAppContext>, profile: string) {
  const boot = await call<BootResult>(context, 'lab:boot', {
    sessionId: sessionOf(context),
    profile,
    kernel: 'debian-6.1-arm64',
    cmdline: '',
    seed: 0,
  })
  return boot.records.find((record) => record.text.startsWith('Memory: '))?.text ?? ''
}

describe('RAM of boards whose tree leaves it to the bootloader', () => {
  it('a clone keeps the RAM its built-in profile gives the board', async () => {
    const context = createAppContext({ host: 'cli', dataDir: tempDir() })
    const { tree } = await call<{ tree: TreeData }>(context, 'profiles:tree', { id: 'db845c' })
    const clone = await call<ProfileSummary>(context, 'profiles:create', {
      name: 'db845c copy',
      tree,
    })
    expect(clone.memoryBytes).toBe(4 * 1024 ** 3)
    expect(clone.memoryAssumed).toBeUndefined()
    expect(await memoryLine(context, clone.id)).toMatch(/^Memory: \d+K\/4194304K available/)
    context.close()
  })

  it('an imported .dtb without RAM boots with an assumed 1 GiB, never with none', async () => {
    const context = createAppContext({ host: 'cli', dataDir: tempDir() })
    const imported = await call<ProfileSummary>(context, 'profiles:import', {
      name: 'bare',
      fileName: 'sdm845-db845c.dtb',
      dtb: readFileSync(DB845C).toString('base64'),
    })
    expect(imported).toMatchObject({ memoryBytes: 1024 ** 3, memoryAssumed: true })
    expect(await memoryLine(context, imported.id)).toMatch(/^Memory: \d+K\/1048576K available/)
    context.close()
  })
})
