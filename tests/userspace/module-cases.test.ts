import { readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { z } from 'zod'
import { DriverDefinition } from '../../src-main/catalog/driver-schema'
import { ModuleDefinition, ModulePolicy } from '../../src-main/catalog/module-schema'
import { bootWithUserspace } from '../../src-main/sessions/boot-runner'
import { formatTranscript } from '../../src-main/userspace/transcript'
import { profile, virtTree } from '../kernel/helpers'
import { expectGolden } from '../support/golden'
import { compileDts, lacksTools } from '../support/tools'
import { machineInputs } from '../../src-main/sessions/boot-runner'

/**
 * kmod-style module cases: a small tree of modules (and drivers, and a board when devices matter),
 * a shell script, and the transcript it must produce (`<name>.out`). Rewrite the transcripts
 * after a reviewed change with `UPDATE_GOLDEN=1 npx vitest run tests/userspace/module-cases.test.ts`.
 */
const DIR = join(__dirname, 'cases')
const GOLDEN_DIR = join(__dirname, '..', 'kernel', 'golden')

const Case = z
  .object({
    description: z.string(),
    /** A board on tests/kernel/golden/base.dtsi, or the QEMU virt board. */
    dts: z.string().optional(),
    cmdline: z.string().default('console=ttyAMA0'),
    modules: z.array(ModuleDefinition),
    drivers: z.array(DriverDefinition).default([]),
    config: z.record(z.string(), z.enum(['y', 'm', 'n'])).default({}),
    policy: ModulePolicy.partial().default({}),
    script: z.string(),
  })
  .strict()

function runCase(name: string): string {
  const spec = Case.parse(JSON.parse(readFileSync(join(DIR, `${name}.json`), 'utf8')))
  const tree = spec.dts ? compileDts(join(DIR, spec.dts), GOLDEN_DIR) : virtTree
  const config = { ...profile.config, ...spec.config }
  for (const module of spec.modules) config[module.kconfig] ??= 'm'
  const kernelProfile = {
    ...profile,
    config,
    modulePolicy: { ...(profile.modulePolicy as ModulePolicy), ...spec.policy },
    modules: spec.modules,
    drivers: [...profile.drivers, ...spec.drivers],
  }
  const { shell } = bootWithUserspace(
    machineInputs(kernelProfile, tree, { cmdline: spec.cmdline, seed: 0 }),
  )
  shell.run(spec.script)
  return formatTranscript(shell.history)
}

const names = readdirSync(DIR)
  .filter((file) => file.endsWith('.json'))
  .map((file) => file.replace(/\.json$/, ''))

const needsDtc = (name: string) =>
  Case.parse(JSON.parse(readFileSync(join(DIR, `${name}.json`), 'utf8'))).dts !== undefined

describe('module cases', () => {
  it('has cases', () => expect(names.length).toBeGreaterThanOrEqual(8))
  // Cases on the virt board need no dtc; the others compile their board with it.
  for (const name of names) {
    it.skipIf(needsDtc(name) && lacksTools('dtc'))(name, () => {
      const actual = runCase(name)
      expectGolden(actual, join(DIR, `${name}.out`))
      expect(runCase(name)).toBe(actual)
    })
  }
})
