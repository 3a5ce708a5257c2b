/**
 * The API contract: everything the renderer may ask of the main process, one interface
 * grouped by domain, a zod schema for every request, and the shapes that come back.
 * The renderer imports types from this file only.
 */
import { z } from 'zod'
import type { TreeData, TreeNodeData } from '../hardware/tree-data'
import { MAX_BLOB_BYTES, MAX_SOURCE_BYTES, mebibytes } from '../hardware/file-limits'
import { TREE_TOO_DEEP, treeDepthExceeds } from '../hardware/tree-depth'
import type { ApiChannel, ApiEvent } from './channels'
import type { Connection } from './connection'
import type { WhatIfResult } from '../analysis/whatif-types'
import type { TraceEvent } from '../kernel/trace'
import {
  sessionsRequestSchemas,
  type DiffReport,
  type ExportedSession,
  type ExportSessionRequest,
  type ImportSessionRequest,
  type ReplayReport,
  type ReplayRequest,
  type SessionEvent,
  type SessionEventsRequest,
  type SessionsDiffRequest,
} from './sessions-contract'
import {
  labRequestSchemas,
  type ApiEventPayloads,
  type LabWatch,
  type WatchRequest,
} from './lab-contract'

export type * from './sessions-contract'
export type * from './lab-contract'
export type { Connection }

export type { TreeData, TreeNodeData }

// ---------------------------------------------------------------- requests

const NoArguments = z.object({}).strict()
export const SessionId = z.number().int().positive().max(Number.MAX_SAFE_INTEGER)
export const SessionName = z
  .string()
  .trim()
  .min(1, 'a session name must not be empty')
  .max(120, 'a session name must be at most 120 characters')
  // eslint-disable-next-line no-control-regex
  .regex(/^[^\u0000-\u001f\u007f]*$/, 'a session name must not contain control characters')

/** The most sessions one `sessions:list` returns. */
export const SESSIONS_PAGE_MAX = 1000

const ResourceId = z
  .string()
  .regex(/^[a-z0-9][a-z0-9.-]{0,63}$/, 'an id of lowercase letters, digits, dots and dashes')

const ProfileName = z.string().trim().min(1, 'a profile name must not be empty').max(120)
const ProfileText = z.string().max(4000)
const Bootargs = z
  .string()
  .max(2047, 'the kernel command line is limited to 2047 characters (COMMAND_LINE_SIZE)')
const FileName = z.string().min(1).max(255)
const SOURCE_LIMIT = MAX_SOURCE_BYTES
const HexBytes = z
  .string()
  .regex(/^(?:[0-9a-f]{2})*$/, 'a value is lowercase hex, two digits a byte')
const HexNumber = z.string().regex(/^0x[0-9a-f]{1,16}$/, 'a 64-bit number as 0x hex')

const TreeNodeSchema: z.ZodType<TreeNodeData> = z.lazy(() =>
  z
    .object({
      name: z.string().max(256),
      labels: z
        .array(z.string().regex(/^[a-zA-Z_][a-zA-Z0-9_]*$/, 'a label is a C identifier'))
        .max(32)
        .optional(),
      properties: z
        .array(z.object({ name: z.string().min(1).max(256), value: HexBytes }).strict())
        .max(10_000),
      children: z.array(TreeNodeSchema).max(10_000),
    })
    .strict(),
)

const TreeDataShape = z
  .object({
    root: TreeNodeSchema,
    memoryReservations: z
      .array(z.object({ address: HexNumber, size: HexNumber }).strict())
      .max(1024),
    bootCpuId: z.number().int().min(0).max(0xffffffff),
  })
  .strict()

/** A tree deeper than the FDT format allows is refused before the recursive schema walks it. */
export const TreeDataSchema = z
  .unknown()
  .superRefine((tree, context) => {
    if (treeDepthExceeds((tree as { root?: unknown } | null)?.root))
      context.addIssue({ code: 'custom', path: ['root'], message: TREE_TOO_DEEP })
  })
  .pipe(TreeDataShape) as unknown as typeof TreeDataShape

const SeriesNames = z
  .array(
    z
      .string()
      .regex(/^[a-z0-9][a-z0-9-]{0,99}$/, 'a series name such as mediatek-2023-timer-modules'),
  )
  .max(16)
  .default([])
const KconfigSymbolName = z
  .string()
  .regex(/^CONFIG_\w{1,100}$/, 'a Kconfig symbol such as CONFIG_MTK_TIMER')
/** What a boot is given. */
const BootInputs = z.object({
  profile: ResourceId,
  kernel: ResourceId,
  // arm64's COMMAND_LINE_SIZE is 2048 bytes, the terminating NUL included.
  cmdline: z
    .string()
    .max(2047, 'the kernel command line is limited to 2047 characters (COMMAND_LINE_SIZE)'),
  seed: z.number().int().min(0).max(0xffffffff),
  /** `DRIVER:fail:ERRNO`, `DRIVER:defer:TIMES`, `DRIVER:delay:MS`. */
  faults: z.array(z.string().max(200)).max(64).default([]),
  /** Patch series (resources/series) applied to the kernel, in order, before `config`. */
  series: SeriesNames,
  /** Kconfig changes for this boot (`CONFIG_FOO: 'm'`; `free`: built in, freed when unused). */
  config: z.record(KconfigSymbolName, z.enum(['y', 'm', 'n', 'free'])).default({}),
})

export const requestSchemas = {
  ...sessionsRequestSchemas,
  ...labRequestSchemas,
  'app:info': NoArguments,
  'profiles:list': NoArguments,
  'profiles:import': z.union([
    z
      .object({
        name: ProfileName,
        /** The file the blob came from, for messages and provenance. */
        fileName: FileName,
        /** The .dtb, base64 (at most 24 MiB decoded). */
        dtb: z
          .string()
          .min(1)
          .max(
            Math.ceil(MAX_BLOB_BYTES / 3) * 4,
            `a devicetree blob is limited to ${mebibytes(MAX_BLOB_BYTES)}`,
          ),
      })
      .strict(),
    z
      .object({
        name: ProfileName,
        fileName: FileName,
        /** The .dts text. */
        dts: z.string().min(1).max(SOURCE_LIMIT, 'a devicetree source is limited to 16 MiB'),
        /** Where the .dts sits among `includeFiles` (defaults to fileName), for `#include "..."`. */
        sourcePath: z.string().min(1).max(4096).optional(),
        /** The include folders (`-I`), in search order, as named in `includeFiles`. */
        includeDirs: z.array(z.string().min(1).max(4096)).max(64).default([]),
        /** Included files handed over: path (inside an include folder) → text. */
        includeFiles: z
          .record(z.string().min(1).max(4096), z.string().max(SOURCE_LIMIT))
          .default({})
          .refine((files) => Object.keys(files).length <= 20_000, 'at most 20,000 include files'),
      })
      .strict(),
  ]),
  'profiles:delete': z.object({ id: ResourceId }).strict(),
  'profiles:export': z.object({ id: ResourceId, format: z.enum(['dts', 'dtb']) }).strict(),
  /** A profile's tree and facts, for the editor. */
  'profiles:tree': z.object({ id: ResourceId }).strict(),
  /** A new editable profile from a tree: a clone, or a deleted profile brought back. */
  'profiles:create': z
    .object({
      name: ProfileName,
      description: ProfileText.default(''),
      bootargs: Bootargs.default(''),
      tree: TreeDataSchema,
      sourceFile: FileName.default('modlab editor'),
      /** The id to take (when bringing a deleted profile back); a free one is chosen otherwise. */
      id: ResourceId.optional(),
    })
    .strict(),
  /** Saves an edited profile (built-ins are read-only). */
  'profiles:save': z
    .object({
      id: ResourceId,
      name: ProfileName,
      description: ProfileText,
      bootargs: Bootargs,
      tree: TreeDataSchema,
    })
    .strict(),
  /** Checks a stored profile, or an edited tree; with a kernel, unmatched devices are reported too. */
  'profiles:validate': z
    .object({
      id: ResourceId.optional(),
      tree: TreeDataSchema.optional(),
      kernel: ResourceId.optional(),
    })
    .strict()
    .refine(
      (request) => (request.id === undefined) !== (request.tree === undefined),
      'give either id or tree',
    ),
  'kernels:list': NoArguments,
  'kernels:import': z
    .object({
      /** A `/lib/modules/<release>` folder or a linux-image `.deb`, on the machine running modlab. */
      path: z.string().min(1, 'the path of a modules folder or a .deb').max(4096),
      name: z.string().trim().min(1).max(64).optional(),
      config: z.string().min(1).max(4096).optional(),
      symvers: z.string().min(1).max(4096).optional(),
      systemMap: z.string().min(1).max(4096).optional(),
    })
    .strict(),
  'kernels:delete': z.object({ id: ResourceId }).strict(),
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
  'lab:records': z
    .object({
      bootId: z.number().int().positive(),
      from: z.number().int().min(0),
      count: z.number().int().min(1).max(10_000),
    })
    .strict(),
  'lab:devices': z
    .object({
      bootId: z.number().int().positive(),
      from: z.number().int().min(0),
      count: z.number().int().min(1).max(10_000),
    })
    .strict(),
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
  /** Newest first, a page at a time (33,000 sessions are a 5 MB reply); `{}` is the newest page. */
  'sessions:list': z
    .object({
      offset: z.number().int().min(0).max(Number.MAX_SAFE_INTEGER).default(0),
      limit: z.number().int().min(1).max(SESSIONS_PAGE_MAX).default(SESSIONS_PAGE_MAX),
    })
    .strict(),
  'sessions:create': z.object({ name: SessionName }).strict(),
  'sessions:rename': z.object({ id: SessionId, name: SessionName }).strict(),
  'sessions:delete': z.object({ id: SessionId }).strict(),
  'series:list': NoArguments,
  /** The what-if: a change per Kconfig symbol on boards and a kernel (and series). */
  'whatif:run': z
    .object({
      /** The session the what-if is recorded in, as one action; none: not recorded. */
      sessionId: SessionId.optional(),
      profiles: z.union([z.literal('all'), z.array(ResourceId).min(1).max(16)]),
      kernel: ResourceId,
      /** By Kconfig symbol, or by the name of the module the symbol builds (`arm_smmu`). */
      changes: z
        .record(
          z.string().regex(/^(CONFIG_)?\w{1,100}$/, 'a Kconfig symbol or a module name'),
          z.enum(['y', 'm', 'n', 'free']),
        )
        .refine((changes) => Object.keys(changes).length > 0, 'name at least one Kconfig change')
        .refine((changes) => Object.keys(changes).length <= 64, 'at most 64 Kconfig changes'),
      series: SeriesNames,
      /** When boot B loads the changed modules: coldplug, never, or `modprobe` at a time. */
      load: z
        .discriminatedUnion('kind', [
          z.object({ kind: z.literal('coldplug') }).strict(),
          z.object({ kind: z.literal('never') }).strict(),
          z.object({ kind: z.literal('at'), seconds: z.number().min(0).max(3600) }).strict(),
        ])
        .default({ kind: 'coldplug' }),
    })
    .strict(),
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
} satisfies Record<ApiChannel, z.ZodType>

export type CreateSessionRequest = z.input<(typeof requestSchemas)['sessions:create']>
export type RenameSessionRequest = z.input<(typeof requestSchemas)['sessions:rename']>
export type DeleteSessionRequest = z.input<(typeof requestSchemas)['sessions:delete']>
export type ListSessionsRequest = z.input<(typeof requestSchemas)['sessions:list']>
export type ImportProfileRequest = z.input<(typeof requestSchemas)['profiles:import']>
export type DeleteProfileRequest = z.input<(typeof requestSchemas)['profiles:delete']>
export type ExportProfileRequest = z.input<(typeof requestSchemas)['profiles:export']>

export type ValidateProfileRequest = z.input<(typeof requestSchemas)['profiles:validate']>
export type ProfileTreeRequest = z.input<(typeof requestSchemas)['profiles:tree']>
export type CreateProfileRequest = z.input<(typeof requestSchemas)['profiles:create']>
export type SaveProfileRequest = z.input<(typeof requestSchemas)['profiles:save']>

export interface ProfileFinding {
  severity: 'error' | 'warning' | 'info'
  /** The kind of check, named after dtc's where dtc has one (`unique_unit_address_if_enabled`). */
  check: string
  path: string
  message: string
}

/** A profile with its whole tree, for the editor. */
export interface ProfileDetail {
  summary: ProfileSummary
  tree: TreeData
}

export interface ExportedProfile {
  fileName: string
  format: 'dts' | 'dtb'
  /** Source text for dts; base64 for dtb. */
  content: string
}
export type BootRequest = z.input<(typeof requestSchemas)['lab:boot']>
export type RecordsRequest = z.input<(typeof requestSchemas)['lab:records']>
export type DevicesRequest = z.input<(typeof requestSchemas)['lab:devices']>
export type ShellRequest = z.input<(typeof requestSchemas)['lab:shell']>
export type ModulesRequest = z.input<(typeof requestSchemas)['lab:modules']>
export type WhatIfRequest = z.input<(typeof requestSchemas)['whatif:run']>
export type * from '../analysis/whatif-types'
export type TimelineRequest = z.input<(typeof requestSchemas)['lab:timeline']>
export type GraphRequest = z.input<(typeof requestSchemas)['lab:graph']>
export type RunRequest = z.input<(typeof requestSchemas)['lab:run']>

/** Where `lab:run` recorded its boot: the session, the boot and the event's index. */
export interface RunRecorded {
  sessionId: number
  bootId: number
  event: number
}

// ---------------------------------------------------------------- responses

export type HostKind = 'electron' | 'web' | 'cli'

export interface AppInfo {
  name: string
  version: string
  host: HostKind
  dataDir: string
  databaseFile: string
  schemaVersion: number
}

export interface ProfileSource {
  generator: string
  tool: string
  sha256: string
}

export interface ProfileSummary {
  id: string
  name: string
  description: string
  /** The root node's `model` property. */
  model: string
  /** The root node's `compatible` list. */
  compatible: string[]
  /** Every node of the tree, the root included. */
  nodeCount: number
  /** `cpu` nodes under `/cpus`. */
  cpuCount: number
  /** The sum of the `reg` sizes of the `memory` nodes, or the RAM the profile or modlab gives it. */
  memoryBytes: number
  /** The tree leaves RAM to the bootloader and the profile does not say: modlab assumes a default. */
  memoryAssumed?: boolean
  bootargs: string
  builtIn: boolean
  source: ProfileSource
  /** Set when a stored profile cannot be read: why. It can still be deleted by its id. */
  problem?: string
}

export interface SessionRecord {
  id: number
  name: string
  /** ISO 8601, UTC. */
  createdAt: string
  updatedAt: string
  /** How many boots the session recorded. */
  boots: number
}

export type KernelImportRequest = z.input<(typeof requestSchemas)['kernels:import']>

export interface KernelSummary {
  id: string
  name: string
  description: string
  release: string
  drivers: number
  /** Loadable modules of the build (`.ko` files). */
  modules: number
  /** Shipped with modlab, or imported by the user (and deletable). */
  origin: 'builtin' | 'user'
}

export interface KernelImportSummary extends KernelSummary {
  builtinModules: number
  exports: number
  /** The built-in kernel that lends its core boot. */
  base: string
  /** What the build did not provide, and what that costs. */
  notes: string[]
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

export type DeviceState = 'no-driver' | 'bound' | 'deferred' | 'failed'

export interface DeviceLinkInfo {
  device: string
  property: string
  relaxed: boolean
}

/** Which driver of the build matches a device, and how it gets into the kernel (as `modlab devices` says). */
export type DeviceMatchInfo =
  | { kind: 'builtin'; driver: string; module: string }
  /** Compiled into the image's *_OF_DECLARE table: it runs early, with no struct device. */
  | { kind: 'of_declare'; driver: string; module: string; table: string }
  /** The modules kmod resolves the device's modalias to. */
  | { kind: 'module'; modules: string[]; driver?: string }
  | { kind: 'none' }

export interface DeviceResourceInfo {
  /** The subsystem: clock, reset, regulator, pinctrl, iommu, power-domain, gpio, phy... */
  kind: string
  property: string
  /** The provider's node path, or `dummy` for the dummy regulator. */
  provider: string
  state: 'taken' | 'waiting' | 'dummy' | 'ignored'
}

export interface DeviceInfo {
  name: string
  bus: string
  path: string
  compatible: string[]
  /** The OF modalias udev hands to modprobe: `of:NdevT(null)Cqcom,sdm845-adsp-pas`. */
  modalias: string
  match: DeviceMatchInfo
  state: DeviceState
  driver?: string
  deferReason?: string
  errno?: number
  /** The `*_OF_DECLARE` driver that initialised its node before the driver core ran (the arch timer). */
  initializedBy?: { driver: string; table: string }
  suppliers: DeviceLinkInfo[]
  consumers: DeviceLinkInfo[]
  /** Supplier nodes that have no device: `wait for supplier`. */
  waitingFor: string[]
  /** What its last probe took, or waits for, from each provider its node names (older boots: none). */
  resources?: DeviceResourceInfo[]
  /** Why it ended the boot unbound, in words (older boots: none). */
  why?: string
  /** When the device appeared and each state it went through, by printk time. */
  history: { ns: number; state: DeviceState; detail?: string }[]
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

/** One shell command as run, with the kernel records it caused. */
export interface ShellCommandResult {
  command: string
  stdout: string
  stderr: string
  exitCode: number
  kernelRecords: KernelRecord[]
}

export interface LoadedModuleInfo {
  name: string
  /** What /proc/modules shows: core plus init while loading, core after. */
  size: number
  refcount: number
  /** The modules using it, as /sys/module/<m>/holders lists them. */
  usedBy: string[]
  state: 'live' | 'coming' | 'going' | 'unformed'
  /** Taint letters, `OE`. */
  taints: string
  /** An init and no exit: it can never be unloaded without force. */
  permanent: boolean
}

export interface AvailableModuleInfo {
  name: string
  path: string
  description: string
  license: string
  /** Modules it needs (modules.dep), by name. */
  depends: string[]
  loaded: boolean
}

export interface ModulesState {
  /** Newest first, as lsmod lists them. */
  loaded: LoadedModuleInfo[]
  available: AvailableModuleInfo[]
  /** Kernel-wide taint letters. */
  taints: string
  /** Whether `rmmod -f` can do anything (CONFIG_MODULE_FORCE_UNLOAD). */
  forceUnload: boolean
  /** The shell's commands, for completion. */
  commands: string[]
}

export interface ShellResult {
  results: ShellCommandResult[]
  modules: ModulesState
  /** Devices after the commands (first page); `lab.watch` streams the rest. */
  deviceCount: number
  devices: DeviceInfo[]
  /** Records of the boot so far, shell commands included. */
  recordCount: number
}

/** An upstream patch series a boot or a what-if can apply (resources/series). */
export interface SeriesSummary {
  name: string
  title: string
  /** Kernel versions it applies to (`6.12`). */
  appliesTo: string[]
  /** `merged in 6.18`, `queued`, `not merged`. */
  merged: string
  author: string
  date: string
  url?: string
  /** Kconfig symbols it makes tristate: what it lets a what-if ask for. */
  tristate: string[]
}

export interface DeletedSession {
  id: number
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

export type GraphNodeState = DeviceState | 'declared' | 'no-device'

export interface GraphNode {
  /** The device's name, or the node's path when no device was created for it. */
  id: string
  label: string
  path: string
  state: GraphNodeState
  driver?: string
  /** Why it is not bound, in words: the deferral reason, the errno, the report's `why`. */
  why?: string
  /** Nodes in the same strongly connected component share a cycle number. */
  cycle?: number
}

export interface GraphEdge {
  /** The supplier. */
  from: string
  /** The consumer. */
  to: string
  /** What ties them: fw_devlink properties and resources with their state. */
  via: { kind: 'link' | 'wait' | 'resource'; property: string; state: string }[]
  /** The consumer waits on this supplier (an unrelaxed link to an unbound one, a waiting resource). */
  blocking: boolean
  inCycle: boolean
}

export interface SupplierGraph {
  bootId: number
  /** Devices and supplier nodes in the whole graph, before the filter. */
  total: number
  focus?: string
  /** The graph was limited to the devices that wait and their suppliers. */
  waiting?: boolean
  nodes: GraphNode[]
  edges: GraphEdge[]
  /** How many cycles the shown nodes are part of. */
  cycles: number
  /** The filtered graph had more nodes than the limit: nodes and edges are empty, focus on one of these. */
  tooBig?: { nodes: number; suggestions: string[] }
}

// ---------------------------------------------------------------- errors

export type ErrorCode =
  'invalid-request' | 'unknown-channel' | 'not-found' | 'forbidden' | 'internal'

/** What a failed request rejects with, on every host: plain data, so it crosses any bridge intact. */
export interface ApiErrorShape {
  code: ErrorCode
  message: string
  /** An `#include` of an imported .dts was not among the files handed over: what and where. */
  missingInclude?: { name: string; searched: string[] }
}

export type ApiResult<T = unknown> = { ok: true; value: T } | { ok: false; error: ApiErrorShape }

// ---------------------------------------------------------------- the surface

/** `window.modlab`: frozen, and exactly these keys. */
export interface ModlabApi {
  readonly app: {
    info(): Promise<AppInfo>
  }
  readonly profiles: {
    list(): Promise<ProfileSummary[]>
    import(request: ImportProfileRequest): Promise<ProfileSummary>
    delete(request: DeleteProfileRequest): Promise<{ id: string }>
    export(request: ExportProfileRequest): Promise<ExportedProfile>
    validate(request: ValidateProfileRequest): Promise<ProfileFinding[]>
    tree(request: ProfileTreeRequest): Promise<ProfileDetail>
    create(request: CreateProfileRequest): Promise<ProfileSummary>
    save(request: SaveProfileRequest): Promise<ProfileSummary>
  }
  readonly kernels: {
    list(): Promise<KernelSummary[]>
    import(request: KernelImportRequest): Promise<KernelImportSummary>
    delete(request: { id: string }): Promise<{ id: string }>
  }
  readonly lab: {
    boot(request: BootRequest): Promise<BootResult>
    records(request: RecordsRequest): Promise<KernelRecord[]>
    /** Main pushes the boot's records and devices as `lab:stream` batches, to this page. */
    watch(request: WatchRequest): Promise<LabWatch>
    devices(request: DevicesRequest): Promise<DeviceInfo[]>
    shell(request: ShellRequest): Promise<ShellResult>
    modules(request: ModulesRequest): Promise<ModulesState>
    timeline(request: TimelineRequest): Promise<TimelineWindow>
    graph(request: GraphRequest): Promise<SupplierGraph>
    run(request: RunRequest): Promise<RunRecorded>
  }
  readonly sessions: {
    list(request?: ListSessionsRequest): Promise<SessionRecord[]>
    create(request: CreateSessionRequest): Promise<SessionRecord>
    rename(request: RenameSessionRequest): Promise<SessionRecord>
    delete(request: DeleteSessionRequest): Promise<DeletedSession>
    events(request: SessionEventsRequest): Promise<SessionEvent[]>
    replay(request: ReplayRequest): Promise<ReplayReport>
    diff(request: SessionsDiffRequest): Promise<DiffReport>
    export(request: ExportSessionRequest): Promise<ExportedSession>
    import(request: ImportSessionRequest): Promise<SessionRecord>
  }
  readonly whatif: {
    run(request: WhatIfRequest): Promise<WhatIfResult>
  }
  readonly series: {
    list(): Promise<SeriesSummary[]>
  }
  /** Listens to one pushed event (channels.ts's API_EVENTS); returns the way to stop. */
  readonly onEvent: <E extends ApiEvent>(
    event: E,
    listener: (payload: ApiEventPayloads[E]) => void,
  ) => () => void
}

/** The request domains of `window.modlab`: everything but `onEvent`. */
type ApiDomain = Exclude<keyof ModlabApi, 'onEvent'> & string

type MethodOf<C extends ApiChannel> = C extends `${infer D}:${infer V}`
  ? D extends ApiDomain
    ? V extends keyof ModlabApi[D]
      ? ModlabApi[D][V]
      : never
    : never
  : never

export type ApiResponse<C extends ApiChannel> =
  MethodOf<C> extends (...args: never[]) => Promise<infer R> ? R : never

/**
 * What a service implements for one channel: it receives the request already validated, and the
 * page it came from when a host has one to push events to (the CLI has none).
 */
export type ApiHandlers = {
  [C in ApiChannel]: (
    request: z.output<(typeof requestSchemas)[C]>,
    connection?: Connection,
  ) => ApiResponse<C> | Promise<ApiResponse<C>>
}

// Compile-time guards: the interface, the channel list and the schemas cannot drift apart.
type ChannelsOfApi = {
  [D in ApiDomain]: `${D}:${keyof ModlabApi[D] & string}`
}[ApiDomain]
type Equal<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false
type RequestMatches<C extends ApiChannel> =
  Parameters<MethodOf<C>> extends
    [] | [z.input<(typeof requestSchemas)[C]>] | [z.input<(typeof requestSchemas)[C]>?]
    ? true
    : false
export const contractChecks: [
  Equal<ChannelsOfApi, ApiChannel>,
  { [C in ApiChannel]: RequestMatches<C> }[ApiChannel],
] = [true, true]
