import { cpSync, existsSync, mkdirSync, mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { Store } from '../store/database'
import type { EventRow } from '../store/events-repository'
import type {
  BootAction,
  BootResultRecord,
  RunAction,
  RunResultRecord,
  ShellAction,
  ShellResultRecord,
} from './events'
import type { LabBootRequest, LabRunner, LabWhatIfRequest, PlainRecord } from './lab-engine'
import { deviceStates } from './lab-engine'
import type { Resources, SessionRecorder } from './recorder'
import type { WhatIfResult } from '../analysis/whatif-types'
import { fromRow, materialise } from './snapshots'

// The report's shape is the API's (api/sessions-contract.ts), so that the CLI and the page read it.
export type {
  ReplayDivergence as Divergence,
  ReplayReport,
  ReplayStep,
} from '../api/sessions-contract'

/** What one event replayed to: named outputs compared in order, then kernel records. */
interface Compared {
  outputs: [string, unknown, unknown][]
  expectedRecords: PlainRecord[]
  gotRecords: PlainRecord[]
}

export interface ReplayState {
  store: Store
  recorder: SessionRecorder
  runLab: LabRunner
  where: Resources
  /** The replayed machine of each recorded boot, with its device states. */
  runs: Map<number, { run: number }>
  scratch?: string
}

/** Replays one kind of action; new kinds (a what-if) register theirs in `REPLAYERS`. */
export type Replayer = (event: EventRow, state: ReplayState) => Promise<Compared>

const outcomeOf = (o: { kind: string; detail: string }) =>
  `${o.kind}${o.detail ? `: ${o.detail}` : ''}`

const stateOutputs = (
  expected: { devices?: Record<string, string>; modules?: string[] },
  got: { devices: Record<string, string>; modules: string[] },
): [string, unknown, unknown][] => [
  ...(expected.devices
    ? [['devices', expected.devices, got.devices] as [string, unknown, unknown]]
    : []),
  ...(expected.modules
    ? [['modules', expected.modules, got.modules] as [string, unknown, unknown]]
    : []),
]

/** A what-if asked again: its verdict, each board's A against B and the memory must agree. */
const replayWhatIf: Replayer = async (event, state) => {
  const question = event.action as Omit<LabWhatIfRequest, 'resources' | 'userKernels' | 'imported'>
  const expected = event.result as WhatIfResult
  const got = await state.runLab({
    kind: 'lab-whatif',
    request: { ...question, ...state.where, imported: {} },
  })
  return {
    outputs: [
      ['verdicts', expected.verdicts, got.verdicts],
      ['boards', expected.boards, got.boards],
      ['memory', expected.memory, got.memory],
      ['answer', expected.ok, got.ok],
    ],
    expectedRecords: [],
    gotRecords: [],
  }
}

export const REPLAYERS: Record<string, Replayer> = {
  whatif: replayWhatIf,
  boot: async (event, state) => {
    const action = event.action as BootAction
    const expected = event.result as BootResultRecord
    const booted = await state.runLab({ kind: 'lab-boot', request: bootRequest(action, state) })
    const devices = deviceStates(booted.devices)
    if (event.bootId !== undefined) state.runs.set(event.bootId, { run: booted.run })
    return {
      outputs: [
        ['outcome', expected.outcome, outcomeOf(booted.outcome)],
        ...stateOutputs(expected, { devices, modules: booted.modules }),
      ],
      expectedRecords: recorded(state, event.bootId, 0, expected.records),
      gotRecords: booted.records,
    }
  },
  shell: async (event, state) => {
    const action = event.action as ShellAction
    const expected = event.result as ShellResultRecord
    const machine = event.bootId === undefined ? undefined : state.runs.get(event.bootId)
    if (!machine) throw new Error(`its boot (${event.bootId}) was not replayed`)
    const done = await state.runLab({ kind: 'lab-step', run: machine.run, command: action.command })
    const line = done.lines[0]
    return {
      outputs: [
        ['stdout', expected.stdout, line?.stdout ?? ''],
        ['stderr', expected.stderr, line?.stderr ?? ''],
        ['exit code', expected.exitCode, line?.exitCode ?? 0],
        ...stateOutputs(expected, { devices: line?.changed ?? {}, modules: line?.modules ?? [] }),
      ],
      expectedRecords:
        expected.recordCount > 0
          ? recorded(state, event.bootId, expected.firstRecord, expected.recordCount)
          : [],
      gotRecords: done.lines.flatMap((l) => l.caused),
    }
  },
  run: async (event, state) => {
    const action = event.action as RunAction
    const expected = event.result as RunResultRecord
    const done = await state.runLab({
      kind: 'lab-script',
      request: bootRequest(action, state),
      script: action.script,
      ...(action.until !== undefined ? { until: action.until } : {}),
    })
    return {
      outputs: [
        ['where the commands ran', expected.ranAt, done.ranAt],
        ...expected.commands.flatMap((command, index): [string, unknown, unknown][] => {
          const got = done.commands[index]
          return [
            [`command ${index + 1} (${command.command}) stdout`, command.stdout, got?.stdout],
            [`command ${index + 1} stderr`, command.stderr, got?.stderr],
            [`command ${index + 1} exit code`, command.exitCode, got?.exitCode],
          ]
        }),
        ['commands', expected.commands.length, done.commands.length],
        ['outcome', expected.outcome, outcomeOf(done.outcome)],
        ...stateOutputs(expected, done),
      ],
      expectedRecords: recorded(state, event.bootId, 0, expected.records),
      gotRecords: done.records,
    }
  },
}

function recorded(state: ReplayState, bootId: number | undefined, from: number, count: number) {
  if (bootId === undefined) return []
  return state.store.boots.recordsPage(bootId, from, count) as PlainRecord[]
}

/**
 * The boot's inputs, on the profile and kernel the session kept: when the ones installed now
 * differ from the snapshots (a profile edited since, a kernel deleted), the snapshots are
 * written to a scratch resources folder and the boot runs there.
 */
function bootRequest(action: BootAction, state: ReplayState): LabBootRequest {
  const base = {
    profile: action.profile,
    kernel: action.kernel,
    cmdline: action.cmdline,
    seed: action.seed,
    faults: action.faults,
    series: action.series,
    config: action.config,
    ...(action.coldplug ? { coldplug: action.coldplug } : {}),
  }
  let resources = state.where.resources
  let userKernels = state.where.userKernels
  let imported: LabBootRequest['imported']
  const current = new Map(
    state.recorder.snapshotsOf(action.profile, action.kernel).map((s) => [s.kind, s.hash]),
  )
  const kept = (hash: string | undefined) => {
    const row = hash ? state.store.events.snapshot(hash) : undefined
    return row ? fromRow(row) : undefined
  }
  const profile =
    action.profileHash !== current.get('profile') ? kept(action.profileHash) : undefined
  const kernel = action.kernelHash !== current.get('kernel') ? kept(action.kernelHash) : undefined
  if (profile?.origin === 'imported') {
    const files = profile.files
    imported = {
      dtb: files.get('board.dtb') ?? new Uint8Array(),
      bootargs: Buffer.from(files.get('bootargs') ?? new Uint8Array()).toString('utf8'),
    }
  } else {
    const stored = state.store.profiles.get(action.profile)
    if (stored) imported = { dtb: stored.dtb, bootargs: stored.bootargs }
  }
  if ((profile && profile.origin === 'folder') || kernel) {
    const scratch = (state.scratch ??= mkdtempSync(join(tmpdir(), 'modlab-replay-')))
    const dir = join(
      scratch,
      `${action.profileHash ?? 'p'}-${action.kernelHash ?? 'k'}`.slice(0, 60),
    )
    const real = state.where.resources
    for (const kind of ['profiles', 'kernels'] as const) {
      const snapshot = kind === 'profiles' ? profile : kernel
      const name = kind === 'profiles' ? action.profile : action.kernel
      mkdirSync(join(dir, kind), { recursive: true })
      if (snapshot?.origin === 'folder') materialise(snapshot, join(dir, kind, name))
      // A copy, not a link: the profile and kernel listings take folders only.
      else if (existsSync(join(real, kind, name)) && !existsSync(join(dir, kind, name)))
        cpSync(join(real, kind, name), join(dir, kind, name), { recursive: true })
    }
    if (!existsSync(join(dir, 'series')))
      cpSync(join(real, 'series'), join(dir, 'series'), { recursive: true })
    resources = dir
    if (kernel) userKernels = undefined
  }
  return {
    ...base,
    resources,
    ...(userKernels ? { userKernels } : {}),
    ...(imported ? { imported } : {}),
  }
}
