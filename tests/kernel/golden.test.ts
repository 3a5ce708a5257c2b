import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { bootKernel } from '../../src-main/kernel/boot'
import { formatRaw, formatText } from '../../src-main/kernel/dmesg-format'
import { expectGolden } from '../support/golden'
import { compileDts, lacksTools } from '../support/tools'
import { kernelDir, profile, virtTree } from './helpers'
import { machineInputs } from '../../src-main/sessions/boot-runner'
import { loadKernelProfile } from '../../src-main/catalog/kernel-profiles'
import { GOLDEN_DIR as DIR, goldenScenarioNames, scenarioOf } from './golden-scenarios'

/**
 * Golden scenarios: a board (`<name>.dts` on base.dtsi, or a built-in profile), the drivers and
 * command line of `<name>.json`, and the expected console in `<name>.dmesg`. A change of output is
 * a reviewed diff of that file: `UPDATE_GOLDEN=1 npx vitest run tests/kernel/golden.test.ts`.
 */
function run(name: string): string {
  const scenario = scenarioOf(name)
  const tree = scenario.board ? virtTree : compileDts(join(DIR, `${name}.dts`), DIR)
  const base = scenario.kernel ? loadKernelProfile(kernelDir(scenario.kernel)) : profile
  const kernel = bootKernel(
    machineInputs(
      {
        ...base,
        version: scenario.version ?? base.version,
        config: { ...base.config, ...scenario.config },
        drivers: [...base.drivers, ...scenario.drivers],
      },
      tree,
      { cmdline: scenario.cmdline, seed: 0, faults: scenario.faults },
    ),
  )
  const format = scenario.format === 'raw' ? formatRaw : formatText
  const show = scenario.show ? new RegExp(scenario.show) : undefined
  const lines = kernel.log.records
    .filter((record) => kernel.onConsole(record.level))
    .map(format)
    .filter((line) => !show || show.test(line))
  const deferred = scenario.devicesDeferred
    ? `\n# cat /sys/kernel/debug/devices_deferred\n${kernel.core.devicesDeferred()}`
    : ''
  return `${lines.join('\n')}\n${deferred}# outcome: ${kernel.outcome.kind}${kernel.outcome.detail ? `: ${kernel.outcome.detail}` : ''}\n`
}

const names = goldenScenarioNames()

describe('golden boot scenarios', () => {
  it('has a scenario for every case the design names', () => {
    for (const name of [
      'virt',
      'consumer-before-supplier',
      'late-supplier',
      'supplier-never-arrives',
      'dependency-cycle',
      'probe-failure',
      'virt-quiet',
      'virt-initcall_debug',
      'virt-6.12',
      'virt-6.12-initcall_debug',
    ]) {
      expect(names).toContain(name)
    }
  })

  // Scenarios on the built-in virt board need no dtc; the others compile their board with it.
  for (const name of names) {
    it.skipIf(!scenarioOf(name).board && lacksTools('dtc'))(name, () => {
      expectGolden(run(name), join(DIR, `${name}.dmesg`))
    })
  }

  it('is deterministic: the same inputs give byte-identical logs', () => {
    expect(run('virt')).toBe(run('virt'))
  })

  it.skipIf(lacksTools('dtc'))('is deterministic on a board compiled by dtc', () => {
    expect(run('supplier-never-arrives')).toBe(run('supplier-never-arrives'))
  })
})
