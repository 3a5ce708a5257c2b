import { existsSync } from 'node:fs'
import { join } from 'node:path'
import { ENGINE_VERSION } from '../kernel/version'
import { KernelRegistry } from '../catalog/kernel-registry'
import type { Store } from '../store/database'
import type { EventRow } from '../store/events-repository'
import type { BootAction, BootResultRecord, ShellAction, ShellResultRecord } from './events'
import type { PlainRecord } from './lab-engine'
import { folderSnapshot, importedProfileSnapshot, toRow, type Snapshot } from './snapshots'

export class SessionError extends Error {}

/** Where profiles and kernels are found: the built-in resources and the user's kernels. */
export interface Resources {
  resources: string
  userKernels?: string
}

/**
 * The one recorder every host uses (through the API): each action that changed a simulated
 * machine becomes the next event of a session, written with its results in one transaction,
 * so that an acknowledged event is on disk whatever happens to the process after.
 */
export class SessionRecorder {
  constructor(
    private readonly store: Store,
    private readonly where: Resources,
  ) {}

  requireSession(sessionId: number): void {
    if (!this.store.sessions.get(sessionId))
      throw new SessionError(`no session with id ${sessionId}`)
  }

  /** The profile and kernel of a boot as they are now, by content. */
  snapshotsOf(profile: string, kernel: string): Snapshot[] {
    const found: Snapshot[] = []
    const imported = this.store.profiles.get(profile)
    const builtin = join(this.where.resources, 'profiles', profile)
    if (imported) found.push(importedProfileSnapshot(profile, imported))
    else if (existsSync(join(builtin, 'profile.json')))
      found.push(folderSnapshot('profile', profile, builtin))
    const dir = new KernelRegistry(
      join(this.where.resources, 'kernels'),
      this.where.userKernels,
    ).dirOf(kernel)
    if (dir) found.push(folderSnapshot('kernel', kernel, dir))
    return found
  }

  /** Records the action as the session's next event: the hook a what-if (or any new action) uses. */
  record(
    sessionId: number,
    action: { kind: string } & Record<string, unknown>,
    result: unknown,
    options: { bootId?: number; snapshots?: Snapshot[] } = {},
  ): EventRow {
    const { kind, ...rest } = action
    return this.store.transaction(() => {
      this.requireSession(sessionId)
      for (const snapshot of options.snapshots ?? [])
        this.store.events.keepSnapshot(sessionId, snapshot.hash, () => toRow(snapshot))
      return this.store.events.append(sessionId, {
        kind,
        engineVersion: ENGINE_VERSION,
        action: rest,
        result,
        ...(options.bootId !== undefined ? { bootId: options.bootId } : {}),
      })
    })
  }

  /** A boot (or `modlab run`'s boot with its script) with all of its records. */
  recordBoot(
    sessionId: number,
    kind: 'boot' | 'run',
    action: BootAction & Record<string, unknown>,
    result: BootResultRecord & Record<string, unknown>,
    records: readonly PlainRecord[],
    snapshots: Snapshot[],
  ): { bootId: number; event: EventRow } {
    const profile = snapshots.find((s) => s.kind === 'profile')
    const kernel = snapshots.find((s) => s.kind === 'kernel')
    const hashes = {
      ...(profile ? { profileHash: profile.hash } : {}),
      ...(kernel ? { kernelHash: kernel.hash } : {}),
    }
    return this.store.transaction(() => {
      this.requireSession(sessionId)
      const boot = this.store.boots.record(
        {
          sessionId,
          profile: action.profile,
          kernel: action.kernel,
          cmdline: action.cmdline,
          seed: action.seed,
          faults: action.faults,
          engineVersion: ENGINE_VERSION,
          outcome: result.outcome,
        },
        records,
      )
      const event = this.record(sessionId, { kind, ...action, ...hashes }, result, {
        bootId: boot.id,
        snapshots,
      })
      return { bootId: boot.id, event }
    })
  }

  /** A shell command line run on a recorded boot, with the kernel records it caused. */
  recordShell(
    bootId: number,
    action: ShellAction,
    result: Omit<ShellResultRecord, 'firstRecord' | 'recordCount'>,
    caused: readonly PlainRecord[],
  ): EventRow {
    return this.store.transaction(() => {
      const sessionId = this.store.boots.sessionOf(bootId)
      if (sessionId === undefined) throw new SessionError(`no boot with id ${bootId}`)
      const { stdout, stderr, exitCode } = result
      this.store.boots.recordCommand(
        bootId,
        { command: action.command, stdout, stderr, exitCode },
        caused,
      )
      const full: ShellResultRecord = {
        ...result,
        firstRecord: caused[0]?.seq ?? -1,
        recordCount: caused.length,
      }
      return this.record(sessionId, { kind: 'shell', ...action }, full, { bootId })
    })
  }
}
