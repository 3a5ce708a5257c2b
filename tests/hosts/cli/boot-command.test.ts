import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { useTempDir } from '../../store/helpers'
import { runCapturing } from './helpers'

const tempDir = useTempDir()

const cli = (...argv: string[]) => runCapturing(argv, tempDir())

describe('modlab boot', () => {
  it('prints the dmesg of a built-in profile, up to a phase', async () => {
    const result = await cli('boot', '--profile', 'qemu-virt', '--until', 'time_init')
    expect(result.code).toBe(0)
    const lines = result.stdout.trimEnd().split('\n')
    expect(lines[0]).toBe('[    0.000000] Booting Linux on physical CPU 0x0000000000 [0x411fd070]')
    expect(lines.at(-1)).toBe(
      '[    0.000000] rcu: srcu_init: Setting srcu_struct sizes based on contention.',
    )
  })

  it('renders raw, json and kmsg forms', async () => {
    const raw = await cli(
      'boot',
      '--profile',
      'qemu-virt',
      '--format',
      'raw',
      '--until',
      'setup_arch',
    )
    expect(raw.stdout.split('\n')[1]).toMatch(
      /^<5>\[ {4}0\.000000\] Linux version 6\.1\.0-56-arm64 /,
    )
    const json = JSON.parse(
      (await cli('boot', '--profile', 'qemu-virt', '--format', 'json', '--until', 'setup_arch'))
        .stdout,
    )
    expect(json.dmesg[0]).toEqual({
      pri: 6,
      time: 0,
      msg: 'Booting Linux on physical CPU 0x0000000000 [0x411fd070]',
    })
    const kmsg = await cli(
      'boot',
      '--profile',
      'qemu-virt',
      '--format',
      'kmsg',
      '--until',
      'setup_arch',
    )
    expect(kmsg.stdout.split('\n')[1]).toMatch(/^5,1,0,-;Linux version /)
  })

  it('injects faults by data and honours the command line', async () => {
    const result = await cli(
      'boot',
      '--profile',
      'qemu-virt',
      '--fault',
      'rtc-pl031:fail:EIO',
      '--cmdline',
      'console=ttyAMA0 loglevel=5',
      '--console',
    )
    expect(result.stdout).toMatch(
      /^\[ *[\d.]+\] rtc-pl031: probe of 9010000\.pl031 failed with error -5\n$/,
    )
  })

  it('saves the boot in a new session with --save', async () => {
    const dir = tempDir()
    const run = (...argv: string[]) => runCapturing(argv, dir)
    const saved = await run('boot', '--profile', 'qemu-virt', '--save', '--until', 'setup_arch')
    expect(saved).toMatchObject({ code: 0, stderr: 'modlab: saved as boot 1 in session 1\n' })
    const sessions = JSON.parse((await run('sessions', 'list', '--json')).stdout)
    expect(sessions).toEqual([
      expect.objectContaining({ id: 1, name: 'qemu-virt · debian-6.1-arm64', boots: 1 }),
    ])
  })

  it('refuses bad input with exit 1 and bad usage with exit 2, saying what was wrong', async () => {
    expect(await cli('boot', '--profile', 'pixel-9')).toMatchObject({
      code: 1,
      stderr: expect.stringContaining('unknown profile "pixel-9"'),
    })
    const garbage = join(tempDir(), 'board.dtb')
    writeFileSync(garbage, 'not a devicetree blob, but long enough to have a header')
    expect(await cli('boot', '--profile', garbage)).toMatchObject({
      code: 1,
      stderr: expect.stringContaining('magic is 0x6e6f7420'),
    })
    expect(await cli('boot', '--profile', 'qemu-virt', '--kernel', 'linux-9.9')).toMatchObject({
      code: 1,
      stderr: expect.stringContaining('unknown kernel "linux-9.9"'),
    })
    expect(await cli('boot', '--profile', 'qemu-virt', '--until', 'nirvana')).toMatchObject({
      code: 1,
      stderr: expect.stringContaining('unknown phase "nirvana"'),
    })
    expect(await cli('boot')).toMatchObject({
      code: 2,
      stderr: expect.stringContaining('--profile ID|FILE.dtb is required'),
    })
    expect(await cli('boot', '--profile', 'qemu-virt', '--format', 'xml')).toMatchObject({
      code: 2,
    })
    expect(
      await cli('boot', '--profile', 'qemu-virt', '--fault', 'rtc-pl031:fail:EWHAT'),
    ).toMatchObject({ code: 2, stderr: expect.stringContaining('unknown errno EWHAT') })
    expect(await cli('boot', '--profile', 'qemu-virt', '--seed', '-1')).toMatchObject({ code: 2 })
  })
})
