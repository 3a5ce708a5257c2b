import { existsSync, statSync } from 'node:fs'
import { join } from 'node:path'
import { loadKernelProfile, withConfig } from '../catalog/kernel-profiles'
import { KernelRegistry } from '../catalog/kernel-registry'
import { applySeries } from '../catalog/series/apply-series'
import { findSeries, SeriesError } from '../catalog/series/series-loader'
import type { ConfigChange, KernelProfile } from '../catalog/kernel-profile-schema'
import { realBuildRecords } from '../analysis/build-records'
import { freeableSymbols } from '../analysis/freeable'
import type { ModulePolicy } from '../catalog/module-schema'
import { boardFacts } from '../hardware/board-facts'
import { loadBuiltinProfiles } from '../hardware/builtin-profiles'
import type { ProfileFile } from '../hardware/profile-schema'
import type { DeviceTree } from '../hardware/devicetree'
import { FileTooLargeError } from '../hardware/file-limits'
import { readBoardFile } from '../hardware/board-file'
import { readFdt } from '../hardware/fdt'
import { memoryFor } from '../hardware/memory-fill'
import { bootKernel } from '../kernel/boot'
import type { Fault, Kernel, KernelInputs } from '../kernel/kernel'
import type { LogRecord } from '../kernel/printk'
import { coldplug } from '../userspace/coldplug'
import { checkFaultTargets } from './fault-spec'
import { Shell } from '../userspace/shell'
import { System } from '../userspace/system'

export class BootInputError extends Error {}

export interface BootRequest {
  /** A built-in profile id, or a path to a `.dtb` or `.dts`. */
  profile: string
  /** A kernel profile id, or a path to a kernel profile folder; the first built-in one by default. */
  kernel?: string
  cmdline?: string
  seed?: number
  faults?: Fault[]
  /**
   * Kconfig changes for this boot (`CONFIG_FOO: 'm'`): flip a driver between built-in and module;
   * `free` builds it in and frees it at the end of boot when unused (the proposal, kernel/free-unused.ts).
   */
  config?: Record<string, ConfigChange>
  /** Patch series (resources/series) applied to the kernel, in order, before `config`. */
  series?: string[]
  /** Where the built-in profiles and kernels live. */
  resources: string
  /** The kernels to choose from (built-in and the user's); by default the built-in ones. */
  kernels?: KernelRegistry
  /** How userspace coldplugs modules at init, instead of the kernel profile's `modulePolicy.coldplug`. */
  coldplug?: ColdplugMode
  /** Profiles imported into the store, by id. */
  imported?: (id: string) => { dtb: Uint8Array; bootargs: string } | undefined
  /** Runs in userspace once init started, after coldplug and before the kernel's pending timers. */
  atUserspace?: (shell: Shell) => void
}

export interface BootRun {
  kernel: Kernel
  profileName: string
  /** The profile is a built-in or imported one, known by id (not a file given by path). */
  builtIn: boolean
  kernelProfile: KernelProfile
  cmdline: string
  /** The userspace shell, with coldplug's module loads in its history. */
  shell: Shell
}

/** Resolves a boot request's profile and kernel, boots, and returns the kernel after it settled. */
export function runBoot(request: BootRequest): BootRun {
  const { tree, name, bootargs, builtIn, memory, firmware } = resolveBoard(
    request.profile,
    join(request.resources, 'profiles'),
    request.imported,
  )
  const kernelProfile = configured(
    patched(
      resolveKernel(
        request.kernel,
        request.kernels ?? new KernelRegistry(join(request.resources, 'kernels')),
      ),
      request.series,
      join(request.resources, 'series'),
    ),
    request.config,
  )
  try {
    checkFaultTargets(request.faults ?? [], kernelProfile)
  } catch (error) {
    throw new BootInputError((error as Error).message)
  }
  const cmdline = request.cmdline ?? bootargs
  const { kernel, shell } = bootWithUserspace(
    machineInputs(kernelProfile, tree, {
      cmdline,
      seed: request.seed,
      faults: request.faults,
      memory,
      firmware,
      freeable: freeableOf(kernelProfile, request.resources),
    }),
    { coldplug: request.coldplug, atUserspace: request.atUserspace },
  )
  return { kernel, profileName: name, builtIn, kernelProfile, cmdline, shell }
}

/** The simulated machine every boot runs on: its RTC at power-on and the busybox initramfs with /init. */
export function machineInputs(
  profile: KernelProfile,
  tree: DeviceTree,
  options: {
    cmdline: string
    seed?: number
    faults?: Fault[]
    memory?: ProfileFile['memory']
    firmware?: ProfileFile['firmware']
    freeable?: KernelInputs['freeable']
  },
): KernelInputs {
  return {
    profile,
    tree,
    board: boardFacts(tree, options.memory, options.firmware),
    cmdline: options.cmdline,
    seed: options.seed ?? 0,
    powerOnEpoch: 1767225600,
    initramfs: { sizeK: 964 },
    faults: options.faults ?? [],
    ...(options.freeable ? { freeable: options.freeable } : {}),
  }
}

/** The sizes and callers of the profile's freeable symbols, when it names some. */
function freeableOf(profile: KernelProfile, resources: string): KernelInputs['freeable'] {
  if (!profile.freeUnused?.length) return undefined
  return freeableSymbols(profile, realBuildRecords(resources, profile.version.join('.')))
}

/** `none` (an initramfs without udev), `udev`, or Android's `modules.load` then udev. */
export type ColdplugMode = ModulePolicy['coldplug']

/**
 * Boots, runs coldplug once init started, and hands back the kernel with its userspace shell.
 * `options.coldplug` overrides the kernel profile's `modulePolicy.coldplug` for this boot;
 * `options.atUserspace` runs after coldplug, before the kernel's pending timers fire.
 */
export function bootWithUserspace(
  inputs: KernelInputs,
  options: { coldplug?: ColdplugMode; atUserspace?: (shell: Shell) => void } = {},
): { kernel: Kernel; shell: Shell } {
  let shell: Shell | undefined
  const kernel = bootKernel(inputs, {
    userspace: (booted) => {
      shell = new Shell(new System(booted))
      coldplug(shell, options.coldplug)
      options.atUserspace?.(shell)
    },
  })
  return { kernel, shell: shell ?? new Shell(new System(kernel)) }
}

/** The kernel with the named series applied; an unknown or inapplicable series is the user's error. */
function patched(profile: KernelProfile, names: BootRequest['series'], dir: string): KernelProfile {
  if (!names || names.length === 0) return profile
  try {
    return applySeries(profile, findSeries(dir, names))
  } catch (error) {
    if (error instanceof SeriesError) throw new BootInputError(error.message)
    throw error
  }
}

function configured(profile: KernelProfile, config: BootRequest['config']): KernelProfile {
  if (!config || Object.keys(config).length === 0) return profile
  try {
    return withConfig(profile, config)
  } catch (error) {
    throw new BootInputError((error as Error).message)
  }
}

function resolveBoard(
  spec: string,
  profilesDir: string,
  imported: BootRequest['imported'],
): {
  tree: DeviceTree
  name: string
  bootargs: string
  builtIn: boolean
  memory?: ProfileFile['memory']
  firmware?: ProfileFile['firmware']
} {
  const builtin = loadBuiltinProfiles(profilesDir).find((profile) => profile.file.id === spec)
  if (builtin)
    return {
      tree: builtin.tree,
      name: builtin.file.id,
      bootargs: builtin.file.bootargs,
      builtIn: true,
      memory: memoryFor(builtin.tree, builtin.file.memory).memory,
      firmware: builtin.file.firmware,
    }
  const stored = imported?.(spec)
  if (stored) {
    const tree = readFdt(stored.dtb)
    return { tree, name: spec, bootargs: stored.bootargs, builtIn: true, ...memoryFor(tree) }
  }
  if (!existsSync(spec) || !statSync(spec).isFile()) {
    const known = loadBuiltinProfiles(profilesDir).map((profile) => profile.file.id)
    throw new BootInputError(
      `unknown profile "${spec}": not a built-in profile (${known.join(', ')}) nor a .dtb or .dts file`,
    )
  }
  try {
    const tree = readBoardFile(spec)
    return { tree, name: spec, bootargs: '', builtIn: false, ...memoryFor(tree) }
  } catch (error) {
    if (error instanceof FileTooLargeError) throw new BootInputError(error.message)
    throw new BootInputError(`${spec}: ${(error as Error).message}`)
  }
}

function resolveKernel(spec: string | undefined, registry: KernelRegistry): KernelProfile {
  if (spec === undefined) {
    const first = registry.first()
    if (!first) throw new BootInputError(`no kernel profiles in ${registry.builtinDir}`)
    return first
  }
  const known = registry.find(spec)
  if (known) return known
  if (existsSync(join(spec, 'kernel.json'))) {
    try {
      return loadKernelProfile(spec)
    } catch (error) {
      throw new BootInputError((error as Error).message)
    }
  }
  const builtin = registry.builtinEntries()
  throw new BootInputError(
    `unknown kernel "${spec}": not a built-in kernel (${builtin
      .map((entry) => entry.id)
      .join(', ')}), the series of one (${builtin
      .map((entry) => entry.version.join('.'))
      .join(', ')}) nor a kernel profile folder`,
  )
}

/** `--until`: a time in seconds, or a phase of the boot (`init`, `initcall:late`, `late`...). */
export type Until = { seconds: number } | { phase: string }

export function parseUntil(text: string): Until {
  if (/^\d+(\.\d+)?$/.test(text)) return { seconds: Number(text) }
  if (!/^[\w:.-]+$/.test(text))
    throw new BootInputError(`--until wants a phase name or a time in seconds, got "${text}"`)
  return { phase: text }
}

/** A phase by its name, or an initcall level by its own (`late` for `initcall:late`). */
export function findPhase(kernel: Kernel, name: string) {
  return (
    kernel.phases.find((mark) => mark.phase === name) ??
    kernel.phases.find((mark) => mark.phase === `initcall:${name}`)
  )
}

export function unknownPhase(kernel: Kernel, name: string): BootInputError {
  const names = [...new Set(kernel.phases.map((mark) => mark.phase))]
  return new BootInputError(`unknown phase "${name}"; phases of this boot: ${names.join(', ')}`)
}

/** The records up to a phase (`time_init`, `initcall:device` or `device`, `init`...) or a time in seconds. */
export function recordsUntil(kernel: Kernel, until: string | undefined): LogRecord[] {
  const records = kernel.log.records
  if (until === undefined) return records
  const point = parseUntil(until)
  if ('seconds' in point) {
    const limitNs = point.seconds * 1e9
    return records.filter((record) => record.timestampNs <= limitNs)
  }
  const mark = findPhase(kernel, point.phase)
  if (!mark) throw unknownPhase(kernel, point.phase)
  return records.slice(0, mark.seq)
}
