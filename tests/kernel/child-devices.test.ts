import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { loadKernelProfile } from '../../src-main/catalog/kernel-profiles'
import { bootKernel } from '../../src-main/kernel/boot'
import type { Kernel } from '../../src-main/kernel/kernel'
import { kernelFile } from '../../src-main/kernel/kernfs/kernel-files'
import { machineInputs } from '../../src-main/sessions/boot-runner'
import { deviceModalias } from '../../src-main/userspace/modalias'
import { compileDts, lacksTools } from '../support/tools'
import { GOLDEN_DIR, scenarioOf } from './golden-scenarios'
import { kernelDir } from './helpers'

/** Boots a golden scenario's board with its drivers (and config changes on top). */
function bootScenario(name: string, config: Record<string, 'y' | 'm' | 'n'> = {}): Kernel {
  const scenario = scenarioOf(name)
  const base = loadKernelProfile(kernelDir(scenario.kernel ?? 'debian-6.12-arm64'))
  return bootKernel(
    machineInputs(
      {
        ...base,
        config: { ...base.config, ...scenario.config, ...config },
        drivers: [...base.drivers, ...scenario.drivers],
      },
      compileDts(join(GOLDEN_DIR, `${name}.dts`), GOLDEN_DIR),
      { cmdline: scenario.cmdline, seed: 0 },
    ),
  )
}

const device = (kernel: Kernel, name: string) => kernel.core.devices.find((d) => d.name === name)
const list = (kernel: Kernel, path: string) => {
  const node = kernelFile(kernel, path)
  return node?.kind === 'dir' ? node.list() : undefined
}

describe.skipIf(lacksTools('dtc'))('devices of the SPMI bus', () => {
  it('a controller adds `<nr>-<usid>` per child with reg <usid SPMI_USID>, on /sys/bus/spmi', () => {
    const kernel = bootScenario('spmi-pmic-provider-6.12')
    const pmic = device(kernel, '0-00')
    expect(pmic?.bus).toBe('spmi')
    expect(pmic?.state).toBe('bound')
    expect(pmic && deviceModalias(pmic)).toBe('of:NpmicT(null)Cacme,pmicCacme,spmi-pmic')
    expect(list(kernel, '/sys/bus/spmi/devices')).toEqual(['0-00', 'spmi-0'])
    expect(list(kernel, '/sys/bus/spmi/drivers/acme-pmic')).toContain('0-00')
    // The group-SID child gets no device at all.
    expect(kernel.core.devices.some((d) => d.of.path.endsWith('pmic@1'))).toBe(false)
  })

  it('the PMIC populates its GPIO block, a provider the keys wait for until it registers', () => {
    const kernel = bootScenario('spmi-pmic-provider-6.12')
    const gpio = device(kernel, '2000000.spmi:pmic@0:gpio@c000')
    expect(gpio?.bus).toBe('platform')
    expect(gpio?.state).toBe('bound')
    expect(device(kernel, 'keys')?.state).toBe('bound')
  })

  it('without the PMIC driver the GPIO block never appears and the keys stay deferred', () => {
    const kernel = bootScenario('spmi-pmic-provider-6.12', { CONFIG_ACME_PMIC: 'n' })
    expect(device(kernel, '0-00')?.state).toBe('no-driver')
    expect(device(kernel, '2000000.spmi:pmic@0:gpio@c000')).toBeUndefined()
    expect(device(kernel, 'keys')?.state).toBe('deferred')
  })
})

describe.skipIf(lacksTools('dtc'))('MFD cells', () => {
  it('a cell takes the child node of its of_compatible and binds by its platform_device_id', () => {
    const kernel = bootScenario('mfd-cell-of-node-6.12')
    const regulator = device(kernel, 'acme-regulator')
    expect(regulator?.of.path).toBe('/soc/pwrap@3000000/pmic/regulators')
    expect(regulator?.idName).toBe('acme-regulator')
    expect(regulator?.driver?.def.name).toBe('acme-regulator')
    // platform_uevent(): the OF modalias first (drivers/base/platform.c).
    expect(regulator && deviceModalias(regulator)).toBe('of:NregulatorsT(null)Cacme,pmic-regulator')
    expect(device(kernel, '4000000.mmc')?.state).toBe('bound')
  })

  it('a disabled node gives no device; a missing one is warned about and added without a node', () => {
    const kernel = bootScenario('mfd-cell-of-node-6.12')
    expect(kernel.core.devices.map((d) => d.name)).not.toContain('acme-rtc')
    const warnings = kernel.log.records.filter((r) => r.text.includes('Failed to locate of_node'))
    expect(warnings.map((r) => r.text)).toEqual(['acme-keys: Failed to locate of_node [id: -1]'])
    // mfd_add_device() still calls platform_device_add() (drivers/mfd/mfd-core.c:284).
    const keys = device(kernel, 'acme-keys')
    expect(keys?.noNode).toBe(true)
    expect(keys?.of.compatible).toEqual([])
    expect(keys && deviceModalias(keys)).toBe('platform:acme-keys')
    expect(list(kernel, '/sys/bus/platform/devices')).toContain('acme-keys')
  })

  it('a cell without an of_compatible is a node-less device that binds by its name', () => {
    const kernel = bootScenario('mfd-cell-of-node-6.12')
    const codec = device(kernel, 'acme-codec')
    expect(codec?.noNode).toBe(true)
    expect(codec?.driver?.def.name).toBe('acme-codec')
    expect(codec && deviceModalias(codec)).toBe('platform:acme-codec')
    expect(kernel.core.deviceOf(kernel.of.root)).not.toBe(codec)
  })

  it('a cell’s own id is added to the id of the call: PLATFORM_DEVID_NONE + 1 names `.0`', () => {
    const kernel = bootScenario('mfd-cell-of-node-6.12')
    const names = kernel.core.devices.map((d) => d.name).filter((n) => n.startsWith('acme-ldo'))
    expect(names).toEqual(['acme-ldo.0', 'acme-ldo.1'])
  })

  it('the cells follow the compatible the MFD matched: another chip, another cell set', () => {
    const kernel = bootScenario('mfd-cell-of-node-6.12')
    const pmic = kernel.core.devices.find((d) => d.of.path === '/soc/pwrap@3000000/pmic')
    expect(pmic?.state).toBe('bound')
    expect(device(kernel, 'acme-b-regulator')).toBeUndefined()
  })
})

describe.skipIf(lacksTools('dtc'))('I2C clients', () => {
  it('adapters are numbered by alias, then from one past the highest; clients `<bus>-<addr>`', () => {
    const kernel = bootScenario('i2c-client-6.12')
    expect(list(kernel, '/sys/bus/i2c/devices')).toEqual([
      '3-004c',
      '3-a234',
      '4-0050',
      'i2c-3',
      'i2c-4',
    ])
    // The disabled child and the one without reg get no client.
    expect(kernel.core.devices.filter((d) => d.bus === 'i2c')).toHaveLength(3)
  })

  it('a client binds by its type against an i2c_device_id table, and uevents its OF modalias', () => {
    const kernel = bootScenario('i2c-client-6.12')
    const eeprom = device(kernel, '4-0050')
    expect(eeprom?.idName).toBe('24c08')
    expect(eeprom?.driver?.def.name).toBe('acme-eeprom')
    expect(eeprom && deviceModalias(eeprom)).toBe('of:NeepromT(null)Catmel,24c08')
    expect(device(kernel, '3-004c')?.driver?.def.name).toBe('acme-bridge')
  })

  it('unbinding an adapter deletes its clients and frees its number; bind adds them again', () => {
    const kernel = bootScenario('i2c-client-6.12')
    const write = (path: string, value: string) => {
      const node = kernelFile(kernel, path)
      return node?.kind === 'file' ? node.write?.(value) : undefined
    }
    const bridge = device(kernel, '3-004c')
    expect(write('/sys/bus/platform/drivers/acme-i2c/unbind', '3000000.i2c\n')).toBe(0)
    // i2c_del_adapter(): the clients (their drivers' remove first), then the adapter's device.
    expect(list(kernel, '/sys/bus/i2c/devices')).toEqual(['4-0050', 'i2c-4'])
    expect(bridge?.state).toBe('no-driver')
    expect(list(kernel, '/sys/bus/i2c/drivers/acme-bridge')).not.toContain('3-004c')
    expect(write('/sys/bus/platform/drivers/acme-i2c/bind', '3000000.i2c')).toBe(0)
    expect(list(kernel, '/sys/bus/i2c/devices')).toEqual([
      '3-004c',
      '3-a234',
      '4-0050',
      'i2c-3',
      'i2c-4',
    ])
    expect(device(kernel, '3-004c')?.driver?.def.name).toBe('acme-bridge')
  })

  it('without the adapter driver no client appears', () => {
    const kernel = bootScenario('i2c-client-6.12', { CONFIG_ACME_I2C: 'n' })
    expect(kernel.core.devices.some((d) => d.bus === 'i2c')).toBe(false)
    expect(list(kernel, '/sys/bus/i2c/devices')).toEqual([])
  })
})

describe.skipIf(lacksTools('dtc'))('I2C muxes', () => {
  const write = (kernel: Kernel, path: string, value: string) => {
    const node = kernelFile(kernel, path)
    return node?.kind === 'file' ? node.write?.(value) : undefined
  }

  it('a mux adds an adapter per channel below its i2c-parent; the channels’ children are clients', () => {
    const kernel = bootScenario('i2c-mux-6.12')
    expect(list(kernel, '/sys/bus/i2c/devices')).toEqual([
      '7-0050',
      '8-0050',
      'i2c-0',
      'i2c-7',
      'i2c-8',
    ])
    expect(device(kernel, '8-0050')?.of.path).toBe('/soc/mux/i2c-mux/i2c@0/eeprom@50')
    expect(device(kernel, '7-0050')?.driver?.def.name).toBe('acme-eeprom')
    const added = kernel.log.records.filter((r) => r.text.includes('Added multiplexed'))
    expect(added.map((r) => r.text)).toEqual([
      'i2c i2c-0: Added multiplexed i2c bus 8',
      'i2c i2c-0: Added multiplexed i2c bus 7',
    ])
  })

  it('unbinding the mux deletes its channels and their clients; bind adds them again', () => {
    const kernel = bootScenario('i2c-mux-6.12')
    expect(write(kernel, '/sys/bus/platform/drivers/acme-i2c-mux/unbind', 'soc:mux')).toBe(0)
    expect(list(kernel, '/sys/bus/i2c/devices')).toEqual(['i2c-0'])
    expect(write(kernel, '/sys/bus/platform/drivers/acme-i2c-mux/bind', 'soc:mux')).toBe(0)
    expect(list(kernel, '/sys/bus/i2c/devices')).toEqual([
      '7-0050',
      '8-0050',
      'i2c-0',
      'i2c-7',
      'i2c-8',
    ])
  })

  it('without the parent adapter the mux adds no channel', () => {
    const kernel = bootScenario('i2c-mux-6.12', { CONFIG_ACME_I2C: 'n' })
    expect(list(kernel, '/sys/bus/i2c/devices')).toEqual([])
  })
})
