import { join } from 'node:path'
import type { DeviceInfo, ModulesState, TimelineWindow } from '../api/contract'
import { ApiError } from '../api/errors'
import { modulesState } from '../api/services/modules-state'
import { KernelRegistry } from '../catalog/kernel-registry'
import type { LogRecord } from '../kernel/printk'
import { runWhatIf, WhatIfError } from '../analysis/whatif'
import type { Change, LoadTime, WhatIfResult } from '../analysis/whatif-types'
import { splitCommands, type Shell } from '../userspace/shell'
import type { System } from '../userspace/system'
import {
  BootInputError,
  parseUntil,
  runBoot,
  type BootRequest,
  type ColdplugMode,
} from './boot-runner'
import { runScriptAt } from './commands-at'
import { deviceSnapshot } from './device-snapshot'
import { FaultSpecError, parseFault } from './fault-spec'
import { kernelTimeline, timelineWindow, type WindowRequest } from './timeline'

/** A kernel record as plain data: the device by name. */
export type PlainRecord = Omit<LogRecord, 'device'> & { device?: string }

/**
 * The Lab's simulated machines, kept between requests so that a boot can be typed into. Plain
 * data in and out, so that a host runs it on a worker thread and its own thread stays free
 * while a kernel boots.
 */
export type LabJob =
  | { kind: 'lab-boot'; request: LabBootRequest }
  | { kind: 'lab-shell'; run: number; command: string }
  | { kind: 'lab-modules'; run: number }
  | { kind: 'lab-forget'; run: number }
  /** Replay's shell step: the lines' results and, cheaply, the modules and device states after. */
  | { kind: 'lab-step'; run: number; command: string }
  /** `modlab run`: boots, runs a script at a point of the boot (`until`), and keeps nothing. */
  | { kind: 'lab-script'; request: LabBootRequest; script: string; until?: string }
  /** Loads the default kernel and boots the first board once, so that the user's first boot is quick. */
  | { kind: 'lab-warm'; resources: string }
  | { kind: 'lab-whatif'; request: LabWhatIfRequest }
  /** A window of a running boot's trace, for the timeline. */
  | { kind: 'lab-timeline'; run: number; bootId: number; window: WindowRequest }

export interface LabWhatIfRequest {
  profiles: string[] | 'all'
  kernel: string
  changes: Record<string, Change>
  series: string[]
  load: LoadTime
  resources: string
  userKernels?: string
  /** The blobs of the profiles the user imported, by id (the store stays with the host). */
  imported: Record<string, { dtb: Uint8Array; bootargs: string }>
}

export interface LabBootRequest {
  profile: string
  kernel: string
  cmdline: string
  seed: number
  faults: string[]
  /** Patch series applied to the kernel, then Kconfig changes. */
  series?: string[]
  config?: BootRequest['config']
  coldplug?: ColdplugMode
  resources: string
  userKernels?: string
  /** The profile's blob when it is one the user imported (the store stays with the host). */
  imported?: { dtb: Uint8Array; bootargs: string }
}

export interface LabBooted {
  run: number
  cmdline: string
  outcome: { kind: 'running' | 'panic' | 'hung'; detail: string }
  consoleLoglevel: number
  phases: { phase: string; seq: number; ns: number }[]
  records: PlainRecord[]
  devices: DeviceInfo[]
  /** The loaded modules, newest first. */
  modules: string[]
}

export interface LabStepped {
  lines: LabShellLine[]
}

export interface LabScripted {
  cmdline: string
  outcome: LabBooted['outcome']
  records: PlainRecord[]
  devices: Record<string, string>
  modules: string[]
  ranAt: { ns: number; where: string }
  commands: { command: string; stdout: string; stderr: string; exitCode: number }[]
}

export interface LabShellLine {
  command: string
  stdout: string
  stderr: string
  exitCode: number
  caused: PlainRecord[]
  /** The loaded modules after the line, and the devices whose state it changed. */
  modules: string[]
  changed: Record<string, string>
}

export interface LabShellResult {
  lines: LabShellLine[]
  modules: ModulesState
  devices: DeviceInfo[]
  recordCount: number
}

export type LabJobResult<J extends LabJob> = J extends { kind: 'lab-boot' }
  ? LabBooted
  : J extends { kind: 'lab-shell' }
    ? LabShellResult
    : J extends { kind: 'lab-modules' }
      ? ModulesState
      : J extends { kind: 'lab-whatif' }
        ? WhatIfResult
        : J extends { kind: 'lab-timeline' }
          ? TimelineWindow
          : J extends { kind: 'lab-script' }
            ? LabScripted
            : J extends { kind: 'lab-step' }
              ? LabStepped
              : null

/** Runs a job where the engine lives (a worker, or the caller's thread). */
export type LabRunner = <J extends LabJob>(job: J) => Promise<LabJobResult<J>>

export const plainRecord = ({ device, ...record }: LogRecord): PlainRecord =>
  device ? { ...record, device: device.name } : record

/** The machines one thread keeps. */
export class LabEngine {
  private readonly runs = new Map<number, Shell>()
  private next = 1

  run(job: LabJob): LabJobResult<LabJob> {
    switch (job.kind) {
      case 'lab-boot':
        return this.boot(job.request)
      case 'lab-shell':
        return this.shell(job.run, job.command)
      case 'lab-modules':
        return modulesState(this.shellOf(job.run).system)
      case 'lab-step':
        return { lines: this.lines(job.run, job.command) }
      case 'lab-script':
        return this.script(job.request, job.script, job.until)
      case 'lab-forget':
        this.runs.delete(job.run)
        return null
      case 'lab-timeline':
        return timelineWindow(
          job.bootId,
          kernelTimeline(this.shellOf(job.run).system.kernel),
          job.window,
        )
      case 'lab-warm':
        runBoot({ profile: 'qemu-virt', resources: job.resources })
        return null
      case 'lab-whatif':
        return whatIf(job.request)
    }
  }

  private boot(request: LabBootRequest): LabBooted {
    const booted = inputErrors(() => runBoot(bootRequestOf(request)))
    const { kernel, shell } = booted
    const run = this.next++
    this.runs.set(run, shell)
    return {
      run,
      cmdline: booted.cmdline,
      outcome: kernel.outcome,
      consoleLoglevel: kernel.ignoreLoglevel ? 99 : kernel.consoleLoglevel,
      phases: kernel.phases,
      records: kernel.log.records.map(plainRecord),
      devices: deviceSnapshot(shell.system),
      modules: loadedModules(shell.system),
    }
  }

  private script(request: LabBootRequest, script: string, until: string | undefined): LabScripted {
    const done = inputErrors(() =>
      runScriptAt(
        bootRequestOf(request),
        script,
        until === undefined ? undefined : parseUntil(until),
      ),
    )
    const { kernel, shell } = done.run
    return {
      cmdline: done.run.cmdline,
      outcome: kernel.outcome,
      records: kernel.log.records.map(plainRecord),
      devices: deviceStates(deviceSnapshot(shell.system)),
      modules: loadedModules(shell.system),
      ranAt: { ns: done.ns, where: done.where },
      commands: done.records.map(({ command, stdout, stderr, exitCode }) => ({
        command,
        stdout,
        stderr,
        exitCode,
      })),
    }
  }

  private shell(run: number, command: string): LabShellResult {
    const shell = this.shellOf(run)
    const log = shell.system.kernel.log
    return {
      lines: this.lines(run, command),
      modules: modulesState(shell.system),
      devices: deviceSnapshot(shell.system),
      recordCount: log.records.length,
    }
  }

  private lines(run: number, command: string): LabShellLine[] {
    const shell = this.shellOf(run)
    const log = shell.system.kernel.log
    const states = () => shell.system.kernel.core.devices.map((d) => [d.name, d.state] as const)
    return splitCommands(command).map((line) => {
      const first = log.records.length
      const before = new Map(states())
      const { command, stdout, stderr, exitCode } = shell.runOne(line)
      return {
        command,
        stdout,
        stderr,
        exitCode,
        caused: log.records.slice(first).map(plainRecord),
        modules: loadedModules(shell.system),
        changed: Object.fromEntries(states().filter(([name, state]) => before.get(name) !== state)),
      }
    })
  }

  private shellOf(run: number): Shell {
    const shell = this.runs.get(run)
    if (!shell) throw new ApiError('not-found', 'this boot is no longer running; boot again')
    return shell
  }
}

function whatIf(request: LabWhatIfRequest): WhatIfResult {
  try {
    return runWhatIf({
      ...request,
      kernels: new KernelRegistry(join(request.resources, 'kernels'), request.userKernels),
      imported: (id) => request.imported[id],
    })
  } catch (error) {
    if (error instanceof WhatIfError || error instanceof BootInputError)
      throw new ApiError('not-found', error.message)
    throw error
  }
}

function bootRequestOf(request: LabBootRequest): BootRequest {
  return {
    ...request,
    faults: request.faults.map(parseFault),
    kernels: new KernelRegistry(join(request.resources, 'kernels'), request.userKernels),
    imported: (id) => (id === request.profile ? request.imported : undefined),
  }
}

function inputErrors<T>(work: () => T): T {
  try {
    return work()
  } catch (error) {
    if (error instanceof FaultSpecError) throw new ApiError('invalid-request', error.message)
    if (error instanceof BootInputError) throw new ApiError('not-found', error.message)
    throw error
  }
}

export const loadedModules = (system: System): string[] =>
  (system.loader?.list ?? []).filter((m) => m.state !== 'unformed').map((m) => m.name)

/** Device name → state, what a session keeps of the devices after each action. */
export const deviceStates = (devices: readonly DeviceInfo[]): Record<string, string> =>
  Object.fromEntries(devices.map((device) => [device.name, device.state]))

/** Runs jobs on the caller's thread (the CLI, tests). */
export function inlineLabRunner(): LabRunner {
  const engine = new LabEngine()
  return async (job) => engine.run(job) as LabJobResult<typeof job>
}
