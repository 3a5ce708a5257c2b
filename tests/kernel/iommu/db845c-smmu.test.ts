import { existsSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { formatText } from '../../../src-main/kernel/dmesg-format'
import type { Device } from '../../../src-main/kernel/device'
import type { Kernel } from '../../../src-main/kernel/kernel'
import { hasProperty } from '../../../src-main/kernel/of-tree'
import { iommuGroups } from '../../../src-main/kernel/subsys/iommu-groups'
import { runScriptAt } from '../../../src-main/sessions/commands-at'
import { formatTranscript } from '../../../src-main/userspace/transcript'
import { expectGolden } from '../../support/golden'
import { lacksTools } from '../../support/tools'
import { ROOT } from '../helpers'
import { DB845C, SCENARIOS, type Scenario } from './scenarios'

/**
 * arm-smmu on the Dragonboard 845c (Debian 6.12, seed 0) and on a small board with the legacy
 * `mmu-masters` binding: the IOMMU lines of the boot, what the commands printed, and each
 * consumer's end (bound in an IOMMU group, bound without its IOMMU, deferred, no driver), against
 * `golden/iommu/<scenario>.txt`. A change is a reviewed diff:
 * `UPDATE_GOLDEN=1 npx vitest run tests/kernel/iommu`.
 */
const DIR = join(__dirname, '..', 'golden', 'iommu')
const LINE = /iommu|smmu|ignoring dependency|geniqup|mmu-masters|acme/

/** Every device whose node names an IOMMU (or is a legacy master), and how its probe ended. */
function consumers(kernel: Kernel): string {
  const groups = iommuGroups(kernel).groupOf
  return kernel.core.devices
    .filter(
      (device) => hasProperty(device.of, 'iommus') || hasProperty(device.of, '#stream-id-cells'),
    )
    .map((device) => {
      const group = groups.get(device)
      const iommu = group === undefined ? 'no IOMMU' : `iommu group ${group}`
      const driver = device.driver?.def.name ?? '-'
      return `${device.name}\t${device.state}\t${driver}\t${device.state === 'bound' ? iommu : '-'}\n`
    })
    .join('')
}

function transcript(scenario: Scenario): string {
  const request = { ...scenario.request, resources: join(ROOT, 'resources') }
  const { run, records, where } = runScriptAt(
    request,
    scenario.script ?? '',
    scenario.until === undefined ? undefined : { seconds: scenario.until },
  )
  const kernel = run.kernel
  const lines = kernel.log.records.map(formatText).filter((line) => LINE.test(line))
  const commands = scenario.script ? `## commands ran ${where}\n${formatTranscript(records)}` : ''
  return [
    `## ${scenario.about}\n`,
    commands,
    `# dmesg | grep -E '${LINE.source}'\n${lines.join('\n')}\n`,
    `# IOMMU consumers: device, state, driver, IOMMU\n${consumers(kernel)}`,
  ].join('')
}

describe('arm-smmu and its consumers', () => {
  for (const scenario of SCENARIOS) {
    const needsDtc = scenario.request.profile.endsWith('.dts')
    it.skipIf(needsDtc && lacksTools('dtc'))(scenario.name, () => {
      const file = join(DIR, `${scenario.name}.txt`)
      // A missing golden fails here too (expectGolden would write it outside CI).
      if (!process.env.UPDATE_GOLDEN) expect(existsSync(file), `${file} is missing`).toBe(true)
      expectGolden(transcript(scenario), file)
    })
  }

  it('refuses ARM_SMMU_LEGACY_DT_BINDINGS=y with arm-smmu a module (depends on ARM_SMMU=y)', () => {
    expect(() =>
      runScriptAt(
        {
          ...DB845C,
          resources: join(ROOT, 'resources'),
          config: { CONFIG_ARM_SMMU: 'm', CONFIG_ARM_SMMU_LEGACY_DT_BINDINGS: 'y' },
        },
        '',
        undefined,
      ),
    ).toThrow(
      'CONFIG_ARM_SMMU_LEGACY_DT_BINDINGS=y is impossible: it depends on IOMMU_SUPPORT && (ARM_SMMU=y && OF) (drivers/iommu/Kconfig:331), which is n in this config',
    )
  })

  it("groups as the IOMMU driver's data says: arm-smmu shares a stream's group, a generic IOMMU never does", () => {
    const kernel = {} as Kernel
    const groups = iommuGroups(kernel)
    const [a, b, c, d] = [{}, {}, {}, {}] as Device[]
    expect(groups.add(a as Device, ['/smmu:1'], 'shared-stream')).toBe(0)
    expect(groups.add(b as Device, ['/smmu:1'], 'shared-stream')).toBe(0)
    expect(groups.add(c as Device, ['/iommu:7'], 'generic')).toBe(1)
    expect(groups.add(d as Device, ['/iommu:7'], 'generic')).toBe(2)
  })

  it('/sys/kernel/iommu_groups lists each group and its devices', () => {
    const { run, records } = runScriptAt(
      { ...DB845C, resources: join(ROOT, 'resources') },
      'ls /sys/kernel/iommu_groups; ls /sys/kernel/iommu_groups/0/devices',
      undefined,
    )
    const groups = [...iommuGroups(run.kernel).groupOf]
    const ids = [...new Set(groups.map(([, id]) => id))].sort((a, b) => a - b)
    expect(ids.length).toBeGreaterThan(1)
    const group0 = groups.filter(([, id]) => id === 0).map(([device]) => device.name)
    expect(records.map((record) => record.stdout)).toEqual([
      ids.map((id) => `${id}\n`).join(''),
      group0
        .sort()
        .map((name) => `${name}\n`)
        .join(''),
    ])
  })
})
