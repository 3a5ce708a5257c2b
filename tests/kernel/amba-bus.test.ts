import { describe, expect, it } from 'vitest'
import { loadKernelProfile } from '../../src-main/catalog/kernel-profiles'
import type { DeviceTree, DtNode } from '../../src-main/hardware/devicetree'
import { deviceReport } from '../../src-main/userspace/device-report'
import { System } from '../../src-main/userspace/system'
import { bootProfile, kernelDir, virtTree } from './helpers'

const profile = loadKernelProfile(kernelDir('debian-6.12-arm64'))
const encoder = new TextEncoder()
const u32 = (value: number) =>
  new Uint8Array([value >>> 24, value >>> 16, value >>> 8, value].map((b) => b & 0xff))

/** QEMU virt with its pl061 node changed by `edit`. */
function virtWithPl061(edit: (node: DtNode) => void): DeviceTree {
  const tree = structuredClone(virtTree)
  const node = tree.root.children.find((child) => child.name.startsWith('pl061@'))
  if (!node) throw new Error('no pl061 in the virt tree')
  edit(node)
  return tree
}

function pl061(tree?: DeviceTree) {
  const kernel = bootProfile(profile, tree ? { tree } : {})
  const device = kernel.core.devices.find((candidate) => candidate.name === '9030000.pl061')
  const report = deviceReport(new System(kernel)).find((entry) => entry.name === '9030000.pl061')
  return { kernel, device, report }
}

describe('the AMBA bus on QEMU virt (debian-6.12-arm64)', () => {
  it('reads each PrimeCell’s ID from its registers and binds by it: amba:d%08X modaliases', () => {
    const kernel = bootProfile(profile)
    const amba = kernel.core.devices
      .filter((device) => device.bus === 'amba')
      .map((device) => [device.name, device.periphid?.toString(16), device.driver?.def.name])
      .sort()
    expect(amba).toEqual([
      ['9000000.pl011', '141011', 'uart-pl011'],
      ['9010000.pl031', '141031', 'rtc-pl031'],
      ['9030000.pl061', '41061', 'pl061_gpio'],
    ])
    const report = deviceReport(new System(kernel))
    expect(report.find((entry) => entry.name === '9000000.pl011')?.modalias).toBe('amba:d00141011')
  })

  it('takes arm,primecell-periphid from the node before the registers (drivers/of/platform.c:248)', () => {
    const tree = virtWithPl061((node) =>
      node.properties.push({ name: 'arm,primecell-periphid', value: u32(0x00341061) }),
    )
    const { device } = pl061(tree)
    expect(device?.periphid).toBe(0x00341061)
    expect(device?.driver?.def.name).toBe('pl061_gpio')
  })

  it('matches by ID, never by compatible: a PL031 ID on a node named arm,pl061 gets rtc-pl031', () => {
    const tree = virtWithPl061((node) =>
      node.properties.push({ name: 'arm,primecell-periphid', value: u32(0x00041031) }),
    )
    expect(pl061(tree).device?.driver?.def.name).toBe('rtc-pl031')
  })

  it('without apb_pclk the ID cannot be read: amba_match() defers it for good, with no reason', () => {
    const tree = virtWithPl061((node) => {
      node.properties = node.properties.filter((p) => p.name !== 'clock-names')
    })
    const { kernel, device, report } = pl061(tree)
    expect(device?.state).toBe('deferred')
    expect(device?.periphid).toBeUndefined()
    expect(kernel.core.devicesDeferred()).toContain('9030000.pl061\t\n')
    expect(report?.modalias).toBe('')
    expect(report?.why).toBe(
      'amba_match() cannot read its peripheral ID yet: its node names no apb_pclk clock; the kernel records no reason',
    )
  })

  it("a probe's own deferral keeps the device deferred with its reason at every retry", () => {
    const kernel = bootProfile(profile, {
      faults: [{ driver: 'pl061_gpio', kind: 'defer', times: 1000 }],
    })
    const device = kernel.core.devices.find((candidate) => candidate.name === '9030000.pl061')
    expect(device?.state).toBe('deferred')
    const states = kernel.deviceEvents
      .filter((event) => event.device === '9030000.pl061')
      .map((event) => event.state)
    expect(states.slice(1).every((state) => state === 'deferred')).toBe(true)
    expect(kernel.core.devicesDeferred()).toMatch(
      /^9030000\.pl061\tpl061_gpio: injected deferral \d+ of 1000\n$/m,
    )
  })

  it('a part modlab has no ID for stays unmatched, and says why', () => {
    const tree = virtWithPl061((node) => {
      const compatible = node.properties.find((p) => p.name === 'compatible')
      if (compatible) compatible.value = encoder.encode('vendor,ip-x\0arm,primecell\0')
    })
    const { device, report } = pl061(tree)
    expect(device?.state).toBe('no-driver')
    expect(report?.why).toBe(
      'an AMBA device whose peripheral ID modlab does not know: no arm,primecell-periphid in its node, and resources/hardware/primecell-ids.json has no ID for "vendor,ip-x"',
    )
  })
})
