import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { runBoot } from '../../src-main/sessions/boot-runner'
import { ROOT } from './helpers'

function board(profile: string) {
  const run = runBoot({ profile, kernel: 'debian-6.12-arm64', resources: join(ROOT, 'resources') })
  const sh = (command: string) => run.shell.runOne(command)
  const ls = (path: string) => sh(`ls ${path}`).stdout.split('\n').filter(Boolean)
  return { kernel: run.kernel, sh, ls }
}

describe('I2C adapters a helper of another module adds', () => {
  it('hikey960: i2c_designware_platform’s adapters (added by i2c_dw_probe()) get their clients', () => {
    const { ls, kernel } = board('hikey960')
    expect(ls('/sys/bus/i2c/devices')).toEqual(['1-0039', '1-004e', 'i2c-0', 'i2c-1', 'i2c-2'])
    const bridge = kernel.core.devices.find((d) => d.name === '1-0039')
    expect(bridge?.of.path).toBe('/soc/i2c@ffd72000/adv7533@39')
    expect(bridge?.state).toBe('bound')
    expect(ls('/sys/bus/i2c/drivers/rt1711h')).toContain('1-004e')
  })
})

describe('I2C muxes on a board', () => {
  it('rpi4b: i2c-mux-pinctrl adds its two channels below i2c0’s adapter; unbind and bind', () => {
    const { sh, ls } = board('rpi4b')
    const parent = sh('dmesg | grep "Added multiplexed"').stdout
    expect(parent).toMatch(
      /i2c i2c-2: Added multiplexed i2c bus 4\n.*i2c i2c-2: Added multiplexed i2c bus 5\n$/,
    )
    const withChannels = ['i2c-0', 'i2c-1', 'i2c-2', 'i2c-3', 'i2c-4', 'i2c-5']
    expect(ls('/sys/bus/i2c/devices')).toEqual(withChannels)
    expect(sh('echo i2c-mux0 > /sys/bus/platform/drivers/i2c-mux-pinctrl/unbind').exitCode).toBe(0)
    expect(ls('/sys/bus/i2c/devices')).toEqual(withChannels.slice(0, 4))
    expect(sh('echo i2c-mux0 > /sys/bus/platform/drivers/i2c-mux-pinctrl/bind').exitCode).toBe(0)
    expect(ls('/sys/bus/i2c/devices')).toEqual(withChannels)
  })
})
