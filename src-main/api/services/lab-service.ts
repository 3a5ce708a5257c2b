import { formatTimestamp } from '../../kernel/dmesg-format'
import { ENGINE_VERSION } from '../../kernel/version'
import { FaultSpecError, parseFault } from '../../sessions/fault-spec'
import { filterGraph, supplierGraphOf } from '../../sessions/supplier-graph'
import type { LabRunner, PlainRecord } from '../../sessions/lab-engine'
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

const storedRecord = (record: PlainRecord) => ({
  seq: record.seq,
  timestampNs: record.timestampNs,
  level: record.level,
  text: record.text,
  device: record.device,
})

/**
 * The Lab over the engine's runner (a worker thread in the hosts): the runner boots and keeps the
 * machines, this side records what they print in the store and pages their devices.
 */
export function createLabService(
  store: Store,
  runLab: LabRunner,
  where: { resources: string; userKernels?: string },
): Pick<
  ApiHandlers,
  | 'lab:boot'
  | 'lab:records'
  | 'lab:devices'
  | 'lab:shell'
  | 'lab:modules'
  | 'lab:timeline'
  | 'lab:graph'
> {
  // The last few boots stay running, for the Lab to page their devices and to type into their
  // shell (the log itself is in SQLite).
  const running = new Map<number, { run: number; devices: DeviceInfo[] }>()
  const remember = (bootId: number, run: number, devices: DeviceInfo[]) => {
    running.set(bootId, { run, devices })
    for (const [old, { run: gone }] of running) {
      if (running.size <= RECENT_BOOTS) break
      running.delete(old)
      void runLab({ kind: 'lab-forget', run: gone }).catch(() => undefined)
    }
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
    'lab:boot': async (request) => {
      const { sessionId } = request
      if (sessionId !== undefined && !store.sessions.get(sessionId))
        throw new ApiError('not-found', `no session with id ${sessionId}`)
      // A malformed fault is refused at once, not after the boots queued before this one.
      for (const fault of request.faults) {
        try {
          parseFault(fault)
        } catch (error) {
          if (error instanceof FaultSpecError) throw new ApiError('invalid-request', error.message)
          throw error
        }
      }
      const imported = store.profiles.get(request.profile)
      const booted = await runLab({
        kind: 'lab-boot',
        request: {
          profile: request.profile,
          kernel: request.kernel,
          cmdline: request.cmdline,
          seed: request.seed,
          faults: request.faults,
          ...(request.series ? { series: request.series } : {}),
          ...(request.config ? { config: request.config } : {}),
          ...where,
          ...(imported ? { imported: { dtb: imported.dtb, bootargs: imported.bootargs } } : {}),
        },
      })
      // A new session is created in the boot's transaction: a crash leaves no empty session.
      const session =
        sessionId !== undefined
          ? { sessionId }
          : { newSessionName: `${request.profile} · ${request.kernel}` }
      const { outcome } = booted
      const boot = store.boots.record(
        {
          ...session,
          profile: request.profile,
          kernel: request.kernel,
          cmdline: booted.cmdline,
          seed: request.seed,
          faults: request.faults,
          engineVersion: ENGINE_VERSION,
          outcome: `${outcome.kind}${outcome.detail ? `: ${outcome.detail}` : ''}`,
        },
        booted.records.map(storedRecord),
      )
      remember(boot.id, booted.run, booted.devices)
      const result: BootResult = {
        bootId: boot.id,
        sessionId: boot.sessionId,
        profile: request.profile,
        kernel: request.kernel,
        cmdline: booted.cmdline,
        seed: request.seed,
        outcome,
        consoleLoglevel: booted.consoleLoglevel,
        recordCount: booted.records.length,
        lastNs: booted.records.at(-1)?.timestampNs ?? 0,
        records: booted.records.slice(0, RECORDS_PAGE).map(toKernelRecord),
        deviceCount: booted.devices.length,
        devices: booted.devices.slice(0, DEVICES_PAGE),
        phases: booted.phases,
      }
      return result
    },
    'lab:devices': ({ bootId, from, count }) =>
      runningBoot(bootId).devices.slice(from, from + count),
    'lab:shell': async ({ bootId, command }) => {
      const boot = runningBoot(bootId)
      const done = await runLab({ kind: 'lab-shell', run: boot.run, command })
      const results = done.lines.map(({ caused, ...result }) => {
        store.boots.recordCommand(bootId, result, caused.map(storedRecord))
        return { ...result, kernelRecords: caused.map(toKernelRecord) }
      })
      boot.devices = done.devices
      return {
        results,
        modules: done.modules,
        deviceCount: done.devices.length,
        devices: done.devices.slice(0, DEVICES_PAGE),
        recordCount: done.recordCount,
      }
    },
    'lab:modules': ({ bootId }) => runLab({ kind: 'lab-modules', run: runningBoot(bootId).run }),
    'lab:records': ({ bootId, from, count }) => {
      if (!store.boots.get(bootId)) throw new ApiError('not-found', `no boot with id ${bootId}`)
      return store.boots.recordsPage(bootId, from, count).map(toKernelRecord)
    },
    'lab:timeline': ({ bootId, ...window }) =>
      runLab({ kind: 'lab-timeline', run: runningBoot(bootId).run, bootId, window }),
    'lab:graph': ({ bootId, ...request }) =>
      filterGraph(bootId, supplierGraphOf(runningBoot(bootId).devices), request),
  }
}
