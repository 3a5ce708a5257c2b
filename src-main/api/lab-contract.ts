/**
 * The Lab part of the API contract: boots and `modlab run`, their records and devices, the kernel
 * shell, the timeline and the supplier graph. `lab:watch` asks main to push a boot's log and
 * devices, which arrive as `lab:stream` batches. Spread into `requestSchemas` in contract.ts; the
 * renderer imports these types through it.
 */
import { z } from 'zod'
import type { TraceEvent } from '../kernel/trace'
import { Bootargs, ResourceId, SeriesNames } from './common-contract'
import type { DeviceInfo } from './devices-contract'
import { SessionId } from './sessions-contract'

const BootId = z.number().int().positive().max(Number.MAX_SAFE_INTEGER)
const Index = z.number().int().min(0).max(Number.MAX_SAFE_INTEGER)

const KconfigSymbolName = z
  .string()
  .regex(/^CONFIG_\w{1,100}$/, 'a Kconfig symbol such as CONFIG_MTK_TIMER')
/** What a boot is given. */
const BootInputs = z.object({
  profile: ResourceId,
  kernel: ResourceId,
  cmdline: Bootargs,
  seed: z.number().int().min(0).max(0xffffffff),
  /** `DRIVER:fail:ERRNO`, `DRIVER:defer:TIMES`, `DRIVER:delay:MS`. */
  faults: z.array(z.string().max(200)).max(64).default([]),
  /** Patch series (resources/series) applied to the kernel, in order, before `config`. */
  series: SeriesNames,
  /** Kconfig changes for this boot (`CONFIG_FOO: 'm'`; `free`: built in, freed when unused). */
  config: z.record(KconfigSymbolName, z.enum(['y', 'm', 'n', 'free'])).default({}),
})

/** A page of a boot's records or devices. */
const BootPage = z
  .object({
    bootId: z.number().int().positive(),
    from: z.number().int().min(0),
    count: z.number().int().min(1).max(10_000),
  })
  .strict()

export const labRequestSchemas = {
  'lab:boot': BootInputs.extend({
    /** The session the boot is recorded in: chosen explicitly, never created here. */
    sessionId: SessionId,
  }).strict(),
  /** `modlab run`: a boot with a script run at a point of it, recorded as one action. */
  'lab:run': BootInputs.extend({
    sessionId: SessionId,
    script: z.string().min(1).max(100_000),
    until: z.string().max(100).optional(),
    coldplug: z.enum(['none', 'udev', 'modules.load']).optional(),
  }).strict(),
  'lab:records': BootPage,
  'lab:devices': BootPage,
  /** Runs kernel shell commands (`modprobe foo; lsmod`) on a boot's running system. */
  'lab:shell': z
    .object({
      bootId: z.number().int().positive(),
      command: z
        .string()
        .min(1)
        .max(10_000, 'a shell command line is limited to 10,000 characters'),
      /** Typed into the shell, or sent by the modules panel: the session records which. */
      via: z.enum(['shell', 'panel']).default('shell'),
    })
    .strict(),
  'lab:modules': z.object({ bootId: z.number().int().positive() }).strict(),
  /** The boot timeline's events in a window of simulated time, bucketed when there are many. */
  'lab:timeline': z
    .object({
      bootId: z.number().int().positive(),
      /** The window, in printk ns; the whole trace when absent. */
      fromNs: z.number().min(0).optional(),
      toNs: z.number().min(0).optional(),
      /** How many columns the density per lane is counted in (the canvas's width in pixels). */
      buckets: z.number().int().min(1).max(4096).default(1000),
      /** The most events returned; past it the longest are returned and the rest are counted. */
      limit: z.number().int().min(1).max(10_000).default(4000),
      /** A dmesg record's seq: the innermost event that printed it comes back as `match`. */
      seq: z.number().int().min(0).optional(),
    })
    .strict()
    .refine(
      (request) =>
        request.fromNs === undefined || request.toNs === undefined || request.fromNs < request.toNs,
      'fromNs must be before toNs',
    ),
  /** The supplier graph: fw_devlink links and the resources each device waits for. */
  'lab:graph': z
    .object({
      bootId: z.number().int().positive(),
      /** Only this device's suppliers and consumers, transitively. */
      focus: z.string().min(1).max(256).optional(),
      /** Devices with no supplier and no consumer are left out unless asked for. */
      isolated: z.boolean().default(false),
      /** Only what keeps devices from binding: the unbound devices that wait, and their suppliers. */
      waiting: z.boolean().default(false),
      /** Past this many nodes the graph is not returned whole: a focus is suggested instead. */
      limit: z.number().int().min(1).max(5000).default(400),
    })
    .strict(),
  /**
   * Push this boot's records from `from` on and its devices from `devicesFrom` on, to the page
   * that asked; a page watches one boot at a time, so this ends its last watch.
   */
  'lab:watch': z.object({ bootId: BootId, from: Index, devicesFrom: Index.default(0) }).strict(),
}

export type BootRequest = z.input<(typeof labRequestSchemas)['lab:boot']>
export type RecordsRequest = z.input<(typeof labRequestSchemas)['lab:records']>
export type DevicesRequest = z.input<(typeof labRequestSchemas)['lab:devices']>
export type ShellRequest = z.input<(typeof labRequestSchemas)['lab:shell']>
export type ModulesRequest = z.input<(typeof labRequestSchemas)['lab:modules']>
export type TimelineRequest = z.input<(typeof labRequestSchemas)['lab:timeline']>
export type GraphRequest = z.input<(typeof labRequestSchemas)['lab:graph']>
export type RunRequest = z.input<(typeof labRequestSchemas)['lab:run']>
export type WatchRequest = z.input<(typeof labRequestSchemas)['lab:watch']>

/** Where `lab:run` recorded its boot: the session, the boot and the event's index. */
export interface RunRecorded {
  sessionId: number
  bootId: number
  event: number
}

/** The watch `lab:watch` started: its batches carry its number. */
export interface LabWatch {
  watch: number
  /** What the watch delivers in all: records and devices up to these counts. */
  recordCount: number
  /** Devices are those of a boot still running; a boot modlab no longer keeps streams none. */
  deviceCount: number
}

/** One `lab:stream` batch: the next records and devices of a watch, in order. */
export interface LabStreamBatch {
  watch: number
  bootId: number
  /** The index of `records[0]` in the boot's log. */
  from: number
  records: KernelRecord[]
  /** The index of `devices[0]` in the boot's device list. */
  devicesFrom: number
  devices: DeviceInfo[]
  /** The watch's last batch: everything up to its counts was sent. */
  done: boolean
}

/** The payload of each pushed event (channels.ts lists them). */
export interface ApiEventPayloads {
  'lab:stream': LabStreamBatch
}

export interface KernelRecord {
  seq: number
  /** local_clock() in ns: the printk timestamp. */
  ns: number
  /** The timestamp as dmesg prints it: `[    1.234567]`. */
  stamp: string
  /** 0 (emerg) to 7 (debug). */
  level: number
  text: string
  device?: string
}

export interface BootResult {
  bootId: number
  sessionId: number
  profile: string
  kernel: string
  cmdline: string
  seed: number
  outcome: { kind: 'running' | 'panic' | 'hung'; detail: string }
  /** Levels below this reach the console. */
  consoleLoglevel: number
  /** How many records the boot printed; `records` holds the first page, `lab.watch` streams the rest. */
  recordCount: number
  /** The last record's timestamp: how long the boot is on screen. */
  lastNs: number
  records: KernelRecord[]
  /** How many devices the boot created; `devices` holds the first page, `lab.watch` streams the rest. */
  deviceCount: number
  devices: DeviceInfo[]
  phases: { phase: string; seq: number; ns: number }[]
}

/** The timeline's lanes, in the order they are drawn. */
export const TIMELINE_LANES = ['initcalls', 'probes', 'deferrals', 'modules'] as const
export type TimelineLane = (typeof TIMELINE_LANES)[number]

/** One trace event of a boot: initcall, probe, deferral, the deferred-probe timeout, module load. */
export type TimelineEvent = TraceEvent & {
  /** Its index in the boot's trace: stable while the machine runs. */
  id: number
  lane: number
  /** The row inside its lane, so that overlapping events do not hide each other. */
  row: number
}

export interface TimelineWindow {
  bootId: number
  /** The trace's end: the last event's end or the last record, in printk ns. */
  endNs: number
  /** Events in the whole trace. */
  total: number
  lanes: { name: TimelineLane; rows: number }[]
  fromNs: number
  toNs: number
  /** Events overlapping the window. */
  inWindow: number
  /** Up to `limit` of them: all, or the longest when there are more. */
  events: TimelineEvent[]
  /** Per lane, how many events overlap each of the `buckets` columns of the window. */
  density: number[][]
  /** The event that printed the record `seq` asked for, if any. */
  match?: TimelineEvent
}
