import { readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { z } from 'zod'
import { DriverDefinition } from '../../src-main/catalog/driver-schema'

/**
 * Golden scenarios: a board (`<name>.dts` on base.dtsi, or a built-in profile), the drivers and
 * command line of `<name>.json`, and the expected console in `<name>.dmesg`. A change of output is
 * a reviewed diff of that file: `UPDATE_GOLDEN=1 npx vitest run tests/kernel/golden.test.ts`.
 * The sessions' replay test records each of them through the API.
 */
export const GOLDEN_DIR = join(__dirname, 'golden')

export const Scenario = z
  .object({
    description: z.string(),
    /** A kernel profile of resources/kernels; Debian 6.1 when absent. */
    kernel: z.string().optional(),
    board: z.literal('qemu-virt').optional(),
    cmdline: z.string(),
    /** A regex: only console lines matching it are compared (the rest of the boot is the reference test's). */
    show: z.string().optional(),
    format: z.enum(['text', 'raw']).default('text'),
    version: z.tuple([z.number(), z.number()]).optional(),
    drivers: z.array(DriverDefinition).default([]),
    config: z.record(z.string(), z.enum(['y', 'm', 'n'])).default({}),
    faults: z.array(z.any()).default([]),
    devicesDeferred: z.boolean().default(false),
  })
  .strict()
export type Scenario = z.output<typeof Scenario>

export const scenarioOf = (name: string): Scenario =>
  Scenario.parse(JSON.parse(readFileSync(join(GOLDEN_DIR, `${name}.json`), 'utf8')))

/** Every `<name>.json` of the golden folder, by name. */
export const goldenScenarioNames = (): string[] =>
  readdirSync(GOLDEN_DIR)
    .filter((file) => file.endsWith('.json'))
    .map((file) => file.replace(/\.json$/, ''))
    .sort()
