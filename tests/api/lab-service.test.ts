import { describe, expect, it } from 'vitest'
import { createAppContext } from '../../src-main/hosts/app-context'
import { useTempDir } from '../store/helpers'
import { sessionOf } from './helpers'

const tempDir = useTempDir()

/** QEMU virt on Debian 6.1 through the dispatcher; the boot must succeed. */
async function bootVirt(context: ReturnType<typeof createAppContext>, cmdline: string) {
  const booted = await context.dispatch('lab:boot', {
    sessionId: sessionOf(context),
    profile: 'qemu-virt',
    kernel: 'debian-6.1-arm64',
    cmdline,
    seed: 0,
  })
  if (!booted.ok) throw new Error(booted.error.message)
  return booted
}

describe('lab:boot through the dispatcher', () => {
  it('boots, records the boot in the session it names, and returns the log and the devices', async () => {
    const context = createAppContext({ host: 'cli', dataDir: tempDir() })
    const result = await context.dispatch('lab:boot', {
      sessionId: sessionOf(context),
      profile: 'qemu-virt',
      kernel: 'debian-6.1-arm64',
      cmdline: 'console=ttyAMA0',
      seed: 0,
      faults: ['rtc-pl031:fail:EIO'],
    })
    expect(result.ok).toBe(true)
    if (!result.ok) return
    const boot = result.value as {
      bootId: number
      sessionId: number
      records: { stamp: string; text: string }[]
      devices: { name: string; state: string; errno?: number }[]
    }
    expect(boot.records[0]).toMatchObject({
      stamp: '[    0.000000]',
      text: 'Booting Linux on physical CPU 0x0000000000 [0x411fd070]',
    })
    expect(boot.devices.find((d) => d.name === '9010000.pl031')).toMatchObject({
      state: 'failed',
      errno: 5,
    })
    expect(context.store.boots.records(boot.bootId)).toHaveLength(boot.records.length)
    expect(boot.sessionId).toBe(sessionOf(context))
    expect(context.store.sessions.list().map((session) => session.name)).toEqual(['tests'])
    context.close()
  })

  it('pages the recorded log back in order, and refuses an unknown boot', async () => {
    const context = createAppContext({ host: 'cli', dataDir: tempDir() })
    const booted = await bootVirt(context, 'console=ttyAMA0 initcall_debug')
    const boot = booted.value as {
      bootId: number
      recordCount: number
      lastNs: number
      records: { seq: number }[]
    }
    expect(boot.recordCount).toBeGreaterThan(2000)
    const page = await context.dispatch('lab:records', {
      bootId: boot.bootId,
      from: 1000,
      count: 3,
    })
    expect(page).toMatchObject({ ok: true, value: [{ seq: 1000 }, { seq: 1001 }, { seq: 1002 }] })
    const tail = await context.dispatch('lab:records', {
      bootId: boot.bootId,
      from: boot.recordCount - 1,
      count: 10,
    })
    expect(tail.ok && (tail.value as { ns: number }[])).toEqual([
      expect.objectContaining({ ns: boot.lastNs }),
    ])
    expect(await context.dispatch('lab:records', { bootId: 999, from: 0, count: 1 })).toMatchObject(
      {
        ok: false,
        error: { code: 'not-found', message: 'no boot with id 999' },
      },
    )
    context.close()
  })

  it('refuses unknown ids, file paths, bad faults and over-long command lines with a clear message', async () => {
    const context = createAppContext({ host: 'cli', dataDir: tempDir() })
    const boot = (request: Record<string, unknown>) =>
      context.dispatch('lab:boot', {
        sessionId: sessionOf(context),
        profile: 'qemu-virt',
        kernel: 'debian-6.1-arm64',
        cmdline: '',
        seed: 0,
        ...request,
      })
    expect(await boot({ profile: 'pixel-10' })).toMatchObject({
      ok: false,
      error: { code: 'not-found', message: expect.stringContaining('unknown profile "pixel-10"') },
    })
    expect(await boot({ profile: '/etc/passwd' })).toMatchObject({
      ok: false,
      error: { code: 'invalid-request' },
    })
    expect(await boot({ faults: ['x:fail:EWHAT'] })).toMatchObject({
      ok: false,
      error: { message: expect.stringContaining('unknown errno EWHAT') },
    })
    expect(await boot({ cmdline: 'x'.repeat(2048) })).toMatchObject({
      ok: false,
      error: { message: expect.stringContaining('COMMAND_LINE_SIZE') },
    })
    expect(await boot({ sessionId: 99 })).toMatchObject({
      ok: false,
      error: { code: 'not-found', message: 'no session with id 99' },
    })
    // Refused boots record nothing, and no session is ever created by a boot.
    expect(context.store.sessions.list().map((session) => session.name)).toEqual(['tests'])
    expect(context.store.events.count(sessionOf(context))).toBe(0)
    context.close()
  })
})

describe('profile import', () => {
  it('imports a blob once, boots it by id, and keeps built-ins read-only', async () => {
    const { readFileSync } = await import('node:fs')
    const { join } = await import('node:path')
    const context = createAppContext({ host: 'cli', dataDir: tempDir() })
    const dtb = readFileSync(
      join(__dirname, '..', '..', 'resources', 'profiles', 'qemu-virt', 'board.dtb'),
    ).toString('base64')
    const imported = await context.dispatch('profiles:import', {
      name: 'QEMU virt copy',
      fileName: 'virt.dtb',
      dtb,
    })
    expect(imported).toMatchObject({
      ok: true,
      value: { id: 'qemu-virt-copy', builtIn: false, nodeCount: 62 },
    })
    expect(
      await context.dispatch('profiles:import', { name: 'again', fileName: 'virt.dtb', dtb }),
    ).toMatchObject({
      ok: false,
      error: { message: 'virt.dtb is already imported as "QEMU virt copy" (qemu-virt-copy)' },
    })
    const booted = await context.dispatch('lab:boot', {
      sessionId: sessionOf(context),
      profile: 'qemu-virt-copy',
      kernel: 'debian-6.1-arm64',
      cmdline: 'console=ttyAMA0',
      seed: 0,
    })
    expect(booted).toMatchObject({ ok: true, value: { outcome: { kind: 'running' } } })
    expect(await context.dispatch('profiles:delete', { id: 'qemu-virt' })).toMatchObject({
      ok: false,
      error: { code: 'invalid-request' },
    })
    expect(await context.dispatch('profiles:delete', { id: 'qemu-virt-copy' })).toEqual({
      ok: true,
      value: { id: 'qemu-virt-copy' },
    })
    expect(await context.dispatch('profiles:delete', { id: 'qemu-virt-copy' })).toMatchObject({
      ok: false,
      error: { code: 'not-found' },
    })
    context.close()
  })
})

describe('lab:shell and lab:modules', () => {
  it('runs shell commands on a running boot, records them and their kernel lines in SQLite', async () => {
    const context = createAppContext({ host: 'cli', dataDir: tempDir() })
    const booted = await bootVirt(context, 'console=ttyAMA0 initcall_debug')
    const { bootId, recordCount } = booted.value as { bootId: number; recordCount: number }
    const modules = await context.dispatch('lab:modules', { bootId })
    expect(
      modules.ok && (modules.value as { loaded: { name: string }[] }).loaded.map((m) => m.name),
    ).toEqual(['gpio_keys', 'virtio_mmio', 'qemu_fw_cfg'])
    const shell = await context.dispatch('lab:shell', {
      bootId,
      command: 'rmmod virtio_mmio; modprobe virtio_mmio; rmmod nope',
    })
    if (!shell.ok) throw new Error(shell.error.message)
    const value = shell.value as {
      results: {
        command: string
        exitCode: number
        stderr: string
        kernelRecords: { text: string }[]
      }[]
      recordCount: number
    }
    expect(value.results.map((r) => r.exitCode)).toEqual([0, 0, 1])
    expect(value.results[1]?.kernelRecords[0]?.text).toMatch(
      /^calling {2}virtio_mmio_init\+0x0\/0x\w+ \[virtio_mmio\] @ \d+$/,
    )
    expect(value.results[2]?.stderr).toBe('rmmod: ERROR: Module nope is not currently loaded\n')
    expect(context.store.boots.commands(bootId).map((c) => c.command)).toEqual([
      'rmmod virtio_mmio',
      'modprobe virtio_mmio',
      'rmmod nope',
    ])
    expect(context.store.boots.records(bootId)).toHaveLength(value.recordCount)
    expect(value.recordCount).toBeGreaterThan(recordCount)
    const unknown = await context.dispatch('lab:shell', { bootId: 999, command: 'lsmod' })
    expect(unknown.ok).toBe(false)
    context.close()
  })
})

describe('lab:boot with patch series and Kconfig changes', () => {
  it('applies the series before the config, and refuses the config without it', async () => {
    const context = createAppContext({ host: 'cli', dataDir: tempDir() })
    const request = {
      profile: 'mt8183-pumpkin',
      kernel: 'debian-6.12-arm64',
      cmdline: 'console=ttyS0,921600n1',
      seed: 0,
      config: { CONFIG_MTK_TIMER: 'm' },
    }
    const refused = await context.dispatch('lab:boot', {
      ...request,
      sessionId: sessionOf(context),
    })
    expect(refused).toMatchObject({ ok: false, error: { message: expect.stringMatching(/bool/) } })
    const booted = await context.dispatch('lab:boot', {
      ...request,
      sessionId: sessionOf(context),
      series: ['mediatek-2023-timer-modules'],
    })
    if (!booted.ok) throw new Error(booted.error.message)
    const { bootId } = booted.value as { bootId: number }
    const modules = await context.dispatch('lab:modules', { bootId })
    if (!modules.ok) throw new Error(modules.error.message)
    const loaded = (modules.value as { loaded: { name: string }[] }).loaded.map((m) => m.name)
    expect(loaded).toContain('timer_mediatek')
    context.close()
  })
})
