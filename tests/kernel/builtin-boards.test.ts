import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { loadBuiltinProfiles } from '../../src-main/hardware/builtin-profiles'
import { runBoot } from '../../src-main/sessions/boot-runner'
import { consoleLines, ROOT, stripTimestamp } from './helpers'

const profiles = loadBuiltinProfiles(join(ROOT, 'resources', 'profiles'))

describe('the built-in boards', () => {
  it('list QEMU virt first, as the default board', () => {
    expect(profiles[0]?.file.id).toBe('qemu-virt')
    expect(profiles.map((p) => p.file.id)).toEqual([
      'qemu-virt',
      'db845c',
      'hikey960',
      'mt8183-pumpkin',
      'pixel6-oriole',
      'rpi4b',
    ])
  })

  for (const kernel of ['debian-6.1-arm64', 'debian-6.12-arm64']) {
    for (const { file } of profiles) {
      it(`${file.id} boots to init on ${kernel}, with its RAM`, () => {
        const run = runBoot({ profile: file.id, kernel, resources: join(ROOT, 'resources') })
        expect(run.kernel.outcome).toEqual({ kind: 'running', detail: '/init is running' })
        const memory = consoleLines(run.kernel)
          .map(stripTimestamp)
          .find((line) => line.startsWith('Memory: '))
        const totalK = Number(/\/(\d+)K available/.exec(memory ?? '')?.[1])
        expect(totalK).toBeGreaterThan(1024 * 1024)
        if (file.memory) expect(totalK).toBe(file.memory.sizeMiB * 1024)
      })
    }
  }
})
