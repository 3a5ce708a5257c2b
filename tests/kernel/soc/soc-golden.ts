import { existsSync } from 'node:fs'
import { join } from 'node:path'
import { expect } from 'vitest'
import type { KernelProfile } from '../../../src-main/catalog/kernel-profile-schema'
import { loadKernelProfile } from '../../../src-main/catalog/kernel-profiles'
import { formatText } from '../../../src-main/kernel/dmesg-format'
import type { Device } from '../../../src-main/kernel/device'
import type { Kernel } from '../../../src-main/kernel/kernel'
import { runScriptAt, type ScriptRun } from '../../../src-main/sessions/commands-at'
import { formatTranscript } from '../../../src-main/userspace/transcript'
import { expectGolden } from '../../support/golden'
import { kernelDir, ROOT } from '../helpers'

/**
 * The SoC-provider goldens (`golden/soc/<scenario>.txt`): a board booted on Debian's 6.12 with
 * initcall_debug, the commands a user would type, and what each provider gave its consumers.
 * A change is a reviewed diff: `UPDATE_GOLDEN=1 npx vitest run tests/kernel/soc`.
 */
export const GOLDEN_DIR = join(__dirname, '..', 'golden', 'soc')
export const KERNEL = 'debian-6.12-arm64'

export function expectScenario(name: string, actual: string): void {
  const file = join(GOLDEN_DIR, `${name}.txt`)
  // A missing golden fails here too (expectGolden would write it outside CI).
  if (!process.env.UPDATE_GOLDEN) expect(existsSync(file), `${file} is missing`).toBe(true)
  expectGolden(actual, file)
}

/**
 * `node` is `provider` or one of its sub-nodes (a GPIO bank, a pin group); a node-less device
 * (path '', an MFD cell) provides nothing through the tree.
 */
const under = (node: string, provider: string) =>
  provider !== '' && (node === provider || node.startsWith(`${provider}/`))

/** What the other devices took from `device`, by kind: `9 clock, 2 pinctrl`. */
function takenFrom(kernel: Kernel, device: Device): string {
  const taken = new Map<string, number>()
  for (const consumer of kernel.core.devices)
    for (const use of consumer.resources ?? [])
      if (use.state === 'taken' && consumer !== device && under(use.provider, device.of.path))
        taken.set(use.kind, (taken.get(use.kind) ?? 0) + 1)
  return [...taken].map(([kind, count]) => `${count} ${kind}`).join(', ') || '-'
}

/** The devices bound to a driver of one of `kconfigs`. */
export function providerDevices(kernel: Kernel, kconfigs: ReadonlySet<string>): Device[] {
  return kernel.core.devices.filter(
    (device) => device.driver && kconfigs.has(device.driver.def.kconfig),
  )
}

/** Each provider device, its state, driver, Kconfig symbol and value, and what it gave. */
export function providerTable(kernel: Kernel, kconfigs: ReadonlySet<string>): string {
  const config = kernel.inputs.profile.config
  return providerDevices(kernel, kconfigs)
    .map((device) => {
      const def = device.driver?.def
      const symbol = `${def?.kconfig}=${config[def?.kconfig ?? ''] ?? 'n'}`
      return `${device.name}\t${device.state}\t${def?.name}\t${symbol}\t${takenFrom(kernel, device)}\n`
    })
    .join('')
}

/**
 * The providers no device stands for (initialised by a `*_OF_DECLARE` table at boot: gs101's
 * cmu_top, the fixed clocks), and what the devices took from each.
 */
export function declaredProviders(kernel: Kernel): string {
  const devices = new Set(kernel.core.devices.map((device) => device.of.path))
  // A sub-node without a compatible (a GPIO bank) is its device's provider, not a declared one.
  const compatible = new Set(
    kernel.of.all.filter((n) => n.compatible.length > 0).map((n) => n.path),
  )
  const taken = new Map<string, Map<string, number>>()
  for (const consumer of kernel.core.devices)
    for (const use of consumer.resources ?? []) {
      if (use.state !== 'taken' || use.kind === 'interrupt') continue
      if (devices.has(use.provider) || !compatible.has(use.provider)) continue
      const kinds = taken.get(use.provider) ?? new Map<string, number>()
      kinds.set(use.kind, (kinds.get(use.kind) ?? 0) + 1)
      taken.set(use.provider, kinds)
    }
  return [...taken]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([path, kinds]) => {
      const uses = [...kinds].map(([kind, count]) => `${count} ${kind}`).join(', ')
      return `${path}\t${uses}\n`
    })
    .join('')
}

/** The init functions of the drivers of `kconfigs`, as initcall_debug names them. */
export function initcallPattern(kernel: Kernel, kconfigs: ReadonlySet<string>): RegExp {
  const names = kernel.inputs.profile.drivers
    .filter((def) => kconfigs.has(def.kconfig) && def.registration.kind === 'initcall')
    .map((def) => def.initcall)
  return new RegExp(`(${[...new Set(names)].sort().join('|')})\\+`)
}

/** The modules of the drivers of `kconfigs`, by their names in modules.builtin and lsmod. */
export function providerModules(kconfigs: ReadonlySet<string>): string[] {
  const modules = kernel612()
    .drivers.filter((def) => kconfigs.has(def.kconfig))
    .map((def) => def.module)
  return [...new Set(modules)].sort()
}

let loaded: KernelProfile | undefined
const kernel612 = () => (loaded ??= loadKernelProfile(kernelDir(KERNEL)))

/** Where a device was first deferred and finally bound, from the `probe of ... returned` lines. */
function probeTimes(lines: string[]) {
  const firstDefer = new Map<string, string>()
  const bound = new Map<string, { at: string; index: number }>()
  lines.forEach((line, index) => {
    const m = /^\[\s*([\d.]+)\] probe of (\S+) returned (-?\d+) /.exec(line)
    if (!m) return
    const [, at, name, ret] = m as unknown as [string, string, string, string]
    // -517 from a supplier link, 517 from the driver's own probe (really_probe() makes it positive).
    if (Math.abs(Number(ret)) === 517 && !firstDefer.has(name)) firstDefer.set(name, at)
    if (ret === '0') bound.set(name, { at, index })
  })
  return { firstDefer, bound }
}

/**
 * Each consumer of a provider whose driver is a module in this build: when it first deferred,
 * when the module's init ran (udev's coldplug loading it), and when the consumer bound.
 */
function moduleConsumers(kernel: Kernel, kconfigs: ReadonlySet<string>, lines: string[]): string {
  const { firstDefer, bound } = probeTimes(lines)
  const rows: string[] = []
  for (const provider of providerDevices(kernel, kconfigs)) {
    const def = provider.driver?.def
    if (!def || kernel.isBuiltIn(def)) continue
    const init = lines.find((line) => line.includes(`calling  ${def.initcall}+`))
    const loaded = /^\[\s*([\d.]+)\]/.exec(init ?? '')?.[1] ?? 'never'
    for (const consumer of kernel.core.devices) {
      if (consumer === provider) continue
      const uses = (consumer.resources ?? []).filter(
        (use) => use.state === 'taken' && under(use.provider, provider.of.path),
      )
      if (uses.length === 0) continue
      const kinds = [...new Set(uses.map((use) => use.kind))].join(',')
      const deferred = firstDefer.get(consumer.name) ?? '-'
      const at = bound.get(consumer.name)?.at ?? consumer.state
      rows.push(
        `${consumer.name}\t${kinds}\t${provider.name} (${def.module})\t${deferred}\t${loaded}\t${at}\n`,
      )
    }
  }
  return rows.join('')
}

/**
 * Checks the order the kernel keeps: every device bound after each device it took a resource
 * from. Returns the pairs where a consumer bound first (none, when the boot is right).
 */
export function boundBeforeProvider(kernel: Kernel, lines: string[]): string[] {
  const { bound } = probeTimes(lines)
  const byPath = new Map(kernel.core.devices.map((device) => [device.of.path, device]))
  const wrong: string[] = []
  for (const consumer of kernel.core.devices) {
    const mine = bound.get(consumer.name)
    if (!mine) continue
    for (const use of consumer.resources ?? []) {
      if (use.state !== 'taken') continue
      let provider: Device | undefined
      for (let path = use.provider; path && !provider; path = path.replace(/\/[^/]*$/, ''))
        provider = byPath.get(path)
      if (!provider || provider === consumer) continue
      // A parent populated its children in its probe: they bind before it returns.
      if (consumer.of.path.startsWith(`${provider.of.path}/`)) continue
      const theirs = bound.get(provider.name)
      if (!theirs || theirs.index > mine.index)
        wrong.push(`${consumer.name} bound before ${provider.name} (${use.kind})`)
    }
  }
  return [...new Set(wrong)]
}

export interface SocScenario {
  profile: string
  /** Debian's build facts, with the 6.12 file:line each was read from. */
  about: string
  /** Kconfig symbols of the SoC provider drivers. */
  kconfigs: ReadonlySet<string>
  /** The shell commands, after the boot. */
  script: string
  /** The initcalls to show; by default those of the drivers of `kconfigs`. */
  initcalls?: RegExp
  /** Show every bind (`returned 0`), or every probe (`returned` anything). */
  probes: 'binds' | 'all'
  /** The title of the provider table (`Exynos SoC providers`). */
  title: string
  /** More sections, each `# title\nlines`, from the boot. */
  extra?: (run: ScriptRun, lines: string[]) => string
}

/** Boots the scenario's board with initcall_debug and writes its transcript. */
export function socTranscript(scenario: SocScenario): {
  text: string
  run: ScriptRun
  lines: string[]
} {
  const request = {
    profile: scenario.profile,
    kernel: KERNEL,
    cmdline: 'initcall_debug',
    resources: join(ROOT, 'resources'),
  }
  const script = runScriptAt(request, scenario.script, undefined)
  const kernel = script.run.kernel
  const lines = kernel.log.records.map(formatText)
  const pattern = scenario.initcalls ?? initcallPattern(kernel, scenario.kconfigs)
  const initcalls = lines.filter((line) => pattern.test(line))
  const probe =
    scenario.probes === 'binds' ? / probe of \S+ returned 0 / : / probe of \S+ returned /
  const probes = lines.filter((line) => probe.test(line))
  const modules = moduleConsumers(kernel, scenario.kconfigs, lines)
  const text = [
    `## ${scenario.about}\n`,
    `## commands ran ${script.where}\n${formatTranscript(script.records)}`,
    `# dmesg | grep -E '${pattern.source}'\n${initcalls.map((line) => `${line}\n`).join('')}`,
    `# dmesg | grep -E '${probe.source}'\n${probes.map((line) => `${line}\n`).join('')}`,
    scenario.extra?.(script, lines) ?? '',
    `# ${scenario.title}: device, state, driver, Kconfig, what the consumers took\n${providerTable(kernel, scenario.kconfigs)}`,
    `# providers without a device (*_OF_DECLARE at boot), what the consumers took\n${declaredProviders(kernel)}`,
    modules
      ? `# consumers of providers built as modules: consumer, what it took, provider (module), first deferred, module init, bound\n${modules}`
      : '',
  ].join('')
  return { text, run: script, lines }
}
