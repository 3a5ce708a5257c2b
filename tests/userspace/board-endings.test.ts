import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { boardTables, withBoardTables } from '../../scripts/board-tables'
import { loadBuiltinProfiles } from '../../src-main/hardware/builtin-profiles'
import { runBoot } from '../../src-main/sessions/boot-runner'
import { boardSummary } from '../../src-main/userspace/board-summary'
import { expectGolden } from '../support/golden'

const ROOT = join(__dirname, '..', '..')
const boards = loadBuiltinProfiles(join(ROOT, 'resources', 'profiles'))

/**
 * How each real board ends its boot on Debian's 6.12 (udev's coldplug included): every device's
 * state, why each unbound one is, and devices_deferred, as reviewed golden files.
 */
describe('the real boards on debian-6.12-arm64', () => {
  for (const { file } of boards.filter((board) => board.file.id !== 'qemu-virt')) {
    it(`${file.id}: every device ends bound, deferred or failed for a reason, or has none`, () => {
      const run = runBoot({
        profile: file.id,
        kernel: 'debian-6.12-arm64',
        resources: join(ROOT, 'resources'),
      })
      const kernel = run.kernel
      const summary = boardSummary(run.shell.system)
      const unexplained = kernel.core.devices.filter(
        (device) =>
          device.state !== 'bound' &&
          !summary.unbound.some((group) => group.devices.includes(device.name)),
      )
      expect(unexplained.map((device) => device.name)).toEqual([])
      const states = kernel.core.devices
        .map(
          (device) =>
            `${device.name}\t${device.state}${device.driver ? `\t${device.driver.def.name}` : ''}`,
        )
        .join('\n')
      const why = summary.unbound
        .map(({ reason, devices }) => `${devices.join(' ')}\n  ${reason}`)
        .join('\n')
      expectGolden(
        `${states}\n\n# why unbound\n${why}\n\n# cat /sys/kernel/debug/devices_deferred\n${kernel.core.devicesDeferred()}`,
        join(__dirname, 'boards', `${file.id}.devices`),
      )
    })
  }

  it('the README tables are what scripts/board-tables.ts generates', async () => {
    const file = join(ROOT, 'README.md')
    const readme = readFileSync(file, 'utf8')
    expect(await withBoardTables(file, readme, boardTables())).toBe(readme)
  })
})
