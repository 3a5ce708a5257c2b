import type { KernelRegistry } from '../../catalog/kernel-registry'
import { BootInputError, runBoot } from '../../sessions/boot-runner'
import { deviceSnapshot } from '../../sessions/device-snapshot'
import { modulesState } from './modules-state'
import type { Shell } from '../../userspace/shell'
import { splitCommands } from '../../userspace/shell'
import { FaultSpecError, parseFault } from '../../sessions/fault-spec'
import { formatTimestamp } from '../../kernel/dmesg-format'
import { ENGINE_VERSION } from '../../kernel/version'
import type { Store } from '../../store/database'
import type { ApiHandlers, BootResult, DeviceInfo } from '../contract'
import { ApiError } from '../errors'

/** Records travel in pages, so that no single message is big enough to stall the page. */
export const RECORDS_PAGE = 2000
export const DEVICES_PAGE = 1000
const RECENT_BOOTS = 4

function toKernelRecord(record: {
  seq: number
  timestampNs: number
  level: number
  text: string
  device?: string
}) {
  return {
    seq: record.seq,
    ns: record.timestampNs,
    stamp: formatTimestamp(record.timestampNs),
    level: record.level,
    text: record.text,
    ...(record.device ? { device: record.device } : {}),
  }
}

export function createLabService(
  store: Store,
  resources: string,
  kernels: KernelRegistry,
): Pick<ApiHandlers, 'lab:boot' | 'lab:records' | 'lab:devices' | 'lab:shell' | 'lab:modules'> {
  // The last few boots stay running, for the Lab to page their devices and to type into their
  // shell (the log itself is in SQLite).
  const running = new Map<number, { shell: Shell; devices: DeviceInfo[] }>()
  const remember = (bootId: number, shell: Shell, devices: DeviceInfo[]) => {
    running.set(bootId, { shell, devices })
    for (const old of running.keys()) if (running.size > RECENT_BOOTS) running.delete(old)
  }
  const runningBoot = (bootId: number) => {
    const boot = running.get(bootId)
    if (!boot)
      throw new ApiError(
        'not-found',
        `boot ${bootId} is no longer running (modlab keeps the last ${RECENT_BOOTS}); boot again`,
      )
    return boot
  }
  return {
    'lab:boot': (request) => {
      let run
      try {
        run = runBoot({
          ...request,
          faults: request.faults.map(parseFault),
          resources,
          kernels,
          imported: (id) => store.profiles.get(id),
        })
      } catch (error) {
        if (error instanceof FaultSpecError) throw new ApiError('invalid-request', error.message)
        if (error instanceof BootInputError) throw new ApiError('not-found', error.message)
        throw error
      }
      const { kernel } = run
      const { sessionId } = request
      if (sessionId !== undefined && !store.sessions.get(sessionId))
        throw new ApiError('not-found', `no session with id ${sessionId}`)
      // A new session is created in the boot's transaction: a crash leaves no empty session.
      const session =
        sessionId !== undefined
          ? { sessionId }
          : { newSessionName: `${request.profile} · ${request.kernel}` }
      const records = kernel.log.records.map((record) =>
        toKernelRecord({ ...record, device: record.device?.name }),
      )
      const boot = store.boots.record(
        {
          ...session,
          profile: request.profile,
          kernel: request.kernel,
          cmdline: run.cmdline,
          seed: request.seed,
          faults: request.faults,
          engineVersion: ENGINE_VERSION,
          outcome: `${kernel.outcome.kind}${kernel.outcome.detail ? `: ${kernel.outcome.detail}` : ''}`,
        },
        kernel.log.records.map((record) => ({
          seq: record.seq,
          timestampNs: record.timestampNs,
          level: record.level,
          text: record.text,
          device: record.device?.name,
        })),
      )
      const devices = deviceSnapshot(run.shell.system)
      remember(boot.id, run.shell, devices)
      const result: BootResult = {
        bootId: boot.id,
        sessionId: boot.sessionId,
        profile: request.profile,
        kernel: request.kernel,
        cmdline: run.cmdline,
        seed: request.seed,
        outcome: kernel.outcome,
        consoleLoglevel: kernel.ignoreLoglevel ? 99 : kernel.consoleLoglevel,
        recordCount: records.length,
        lastNs: records.at(-1)?.ns ?? 0,
        records: records.slice(0, RECORDS_PAGE),
        deviceCount: devices.length,
        devices: devices.slice(0, DEVICES_PAGE),
        phases: kernel.phases,
      }
      return result
    },
    'lab:devices': ({ bootId, from, count }) =>
      runningBoot(bootId).devices.slice(from, from + count),
    'lab:shell': ({ bootId, command }) => {
      const boot = runningBoot(bootId)
      const { shell } = boot
      const log = shell.system.kernel.log
      const results = splitCommands(command).map((line) => {
        const first = log.records.length
        const result = shell.runOne(line)
        const caused = log.records.slice(first)
        store.boots.recordCommand(
          bootId,
          result,
          caused.map((record) => ({ ...record, device: record.device?.name })),
        )
        return {
          command: result.command,
          stdout: result.stdout,
          stderr: result.stderr,
          exitCode: result.exitCode,
          kernelRecords: caused.map((record) =>
            toKernelRecord({ ...record, device: record.device?.name }),
          ),
        }
      })
      boot.devices = deviceSnapshot(shell.system)
      return {
        results,
        modules: modulesState(shell.system),
        deviceCount: boot.devices.length,
        devices: boot.devices.slice(0, DEVICES_PAGE),
        recordCount: log.records.length,
      }
    },
    'lab:modules': ({ bootId }) => modulesState(runningBoot(bootId).shell.system),
    'lab:records': ({ bootId, from, count }) => {
      if (!store.boots.get(bootId)) throw new ApiError('not-found', `no boot with id ${bootId}`)
      return store.boots.recordsPage(bootId, from, count).map(toKernelRecord)
    },
  }
}
