import type { PlainRecord } from './lab-engine'

/**
 * What a session records: every action that changed the simulated machine, in order, with what
 * it produced. The kernel records an action caused are kept with its boot (`boot_log`); the
 * event says which ones.
 */

/** A boot and everything it was given. */
export interface BootAction {
  profile: string
  kernel: string
  cmdline: string
  seed: number
  faults: string[]
  series: string[]
  /** `free`: built in and freed at the end of boot when unused (kernel/free-unused.ts). */
  config: Record<string, 'y' | 'm' | 'n' | 'free'>
  coldplug?: 'none' | 'udev' | 'modules.load'
  /** Content hashes of the profile and kernel snapshots the session keeps (absent before schema 6). */
  profileHash?: string
  kernelHash?: string
}

/** Device states (`bound`, `deferred`...) by device name, and the loaded modules. */
export interface MachineState {
  devices?: Record<string, string>
  modules?: string[]
}

export interface BootResultRecord extends MachineState {
  outcome: string
  /** How many records the boot printed (from seq 0). */
  records: number
}

/** A kernel shell command line, typed or sent by the modules panel. */
export interface ShellAction {
  command: string
  via: 'shell' | 'panel'
}

export interface ShellResultRecord extends MachineState {
  stdout: string
  stderr: string
  exitCode: number
  /** The records the command caused: `recordCount` from seq `firstRecord` of its boot. */
  firstRecord: number
  recordCount: number
}

/** `modlab run`: a boot with a script run at a point of it (`until`), as one action. */
export interface RunAction extends BootAction {
  script: string
  until?: string
}

export interface RunResultRecord extends BootResultRecord {
  ranAt: { ns: number; where: string }
  commands: { command: string; stdout: string; stderr: string; exitCode: number }[]
}

/** The actions modlab replays, by kind; others (a future `whatif`) go through `record()`. */
export type SessionAction =
  | ({ kind: 'boot' } & BootAction)
  | ({ kind: 'shell' } & ShellAction)
  | ({ kind: 'run' } & RunAction)
  | ({ kind: string } & Record<string, unknown>)

/** What one action produced, as replay compares it: named outputs, then kernel records. */
export interface Produced {
  outputs: [name: string, value: unknown][]
  records: PlainRecord[]
}

export const recordKey = (record: {
  seq: number
  timestampNs: number
  level: number
  text: string
  device?: string | null
}) => ({
  seq: record.seq,
  timestampNs: record.timestampNs,
  level: record.level,
  text: record.text,
  ...(record.device ? { device: record.device } : {}),
})
