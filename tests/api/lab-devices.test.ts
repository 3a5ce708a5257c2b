import { describe, expect, it } from 'vitest'
import { createAppContext } from '../../src-main/hosts/app-context'
import type { BootResult, DeviceInfo, ShellResult } from '../../src-main/api/contract'
import { useTempDir } from '../store/helpers'
import { sessionOf } from './helpers'

const tempDir = useTempDir()

async function boot(context: ReturnType<typeof createAppContext>, faults: string[] = []) {
  const result = await context.dispatch('lab:boot', {
    sessionId: sessionOf(context),
    profile: 'qemu-virt',
    kernel: 'debian-6.1-arm64',
    cmdline: 'console=ttyAMA0',
    seed: 0,
    faults,
  })
  if (!result.ok) throw new Error(result.error.message)
  return result.value as BootResult
}

const device = (devices: DeviceInfo[], name: string) =>
  devices.find((candidate) => candidate.name === name) as DeviceInfo

describe('the devices the Lab shows', () => {
  it('records a failed probe as a state change, with its errno', async () => {
    const context = createAppContext({ host: 'cli', dataDir: tempDir() })
    const booted = await boot(context, ['rtc-pl031:fail:EIO'])
    expect(device(booted.devices, '9030000.pl061').history.at(-1)?.state).toBe('bound')
    expect(device(booted.devices, '9010000.pl031').history.at(-1)).toMatchObject({
      state: 'failed',
      detail: 'error -5',
    })
    context.close()
  })

  it('names the TIMER_OF_DECLARE driver that initialised the arch timer', async () => {
    const context = createAppContext({ host: 'cli', dataDir: tempDir() })
    const booted = await boot(context)
    expect(device(booted.devices, 'timer')).toMatchObject({
      state: 'no-driver',
      initializedBy: { driver: 'arch_timer', table: 'TIMER_OF_DECLARE' },
    })
    context.close()
  })

  it('records an unbind after rmmod', async () => {
    const context = createAppContext({ host: 'cli', dataDir: tempDir() })
    const booted = await boot(context)
    expect(device(booted.devices, 'gpio-keys').state).toBe('bound')
    const shell = await context.dispatch('lab:shell', {
      bootId: booted.bootId,
      command: 'rmmod gpio_keys',
    })
    const after = (shell.ok && (shell.value as ShellResult)) as ShellResult
    expect(device(after.devices, 'gpio-keys')).toMatchObject({ state: 'no-driver' })
    expect(device(after.devices, 'gpio-keys').history.at(-1)?.state).toBe('no-driver')
    context.close()
  })

  it('refuses a fault that names no driver or module of the kernel, without a channel name', async () => {
    const context = createAppContext({ host: 'cli', dataDir: tempDir() })
    const result = await context.dispatch('lab:boot', {
      sessionId: sessionOf(context),
      profile: 'qemu-virt',
      kernel: 'debian-6.1-arm64',
      cmdline: '',
      seed: 0,
      faults: ['acme-thermal:fail:ENODEV'],
    })
    expect(result).toMatchObject({
      ok: false,
      error: {
        message:
          'fault on "acme-thermal": the kernel debian-6.1-arm64 has no driver or module of that name',
      },
    })
    const malformed = await context.dispatch('lab:boot', {
      sessionId: sessionOf(context),
      profile: 'qemu-virt',
      kernel: 'debian-6.1-arm64',
      cmdline: '',
      seed: 0,
      faults: ['pl061_gpio:explode'],
    })
    expect(!malformed.ok && malformed.error.message).toMatch(
      /^fault "pl061_gpio:explode": expected/,
    )
    context.close()
  })
})
