import { formatTimestamp } from '../../kernel/dmesg-format'
import { FaultSpecError, parseFault } from '../../sessions/fault-spec'
import { filterGraph, supplierGraphOf } from '../../sessions/supplier-graph'
import { deviceStates, type LabRunner } from '../../sessions/lab-engine'
import type { BootAction } from '../../sessions/events'
import { SessionError, type SessionRecorder } from '../../sessions/recorder'
import type { Store } from '../../store/database'
import type { ApiHandlers, BootResult, DeviceInfo } from '../contract'
import { ApiError } from '../errors'
import { LabStreams } from './lab-stream'

/** The first page of records and devices comes with the boot; `lab:watch` streams the rest. */
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

/**
 * The Lab over the engine's runner (a worker thread in the hosts): the runner boots and keeps the
 * machines, the session recorder keeps what they did, this side streams (or pages) their records
 * and devices.
 */
export function createLabService(
  store: Store,
  runLab: LabRunner,
  where: { resources: string; userKernels?: string },
  recorder: SessionRecorder,
  streams = new LabStreams(),
): Pick<
  ApiHandlers,
  | 'lab:boot'
  | 'lab:records'
  | 'lab:watch'
  | 'lab:devices'
  | 'lab:shell'
  | 'lab:modules'
  | 'lab:timeline'
  | 'lab:graph'
  | 'lab:run'
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
    'lab:boot': async (request, connection) => {
      // The page's last boot stops streaming: this one replaces it.
      if (connection) streams.cancel(connection)
      const { sessionId } = request
      sessionKnown(recorder, sessionId)
      checkFaults(request.faults)
      const action = bootAction(request)
      const snapshots = recorder.snapshotsOf(request.profile, request.kernel)
      const imported = store.profiles.get(request.profile)
      const booted = await runLab({
        kind: 'lab-boot',
        request: {
          ...action,
          ...where,
          ...(imported ? { imported: { dtb: imported.dtb, bootargs: imported.bootargs } } : {}),
        },
      })
      const { outcome } = booted
      const { bootId } = recorder.recordBoot(
        sessionId,
        'boot',
        { ...action, cmdline: booted.cmdline },
        {
          outcome: `${outcome.kind}${outcome.detail ? `: ${outcome.detail}` : ''}`,
          records: booted.records.length,
          devices: deviceStates(booted.devices),
          modules: booted.modules,
        },
        booted.records,
        snapshots,
      )
      const boot = { id: bootId, sessionId }
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
    'lab:shell': async ({ bootId, command, via }) => {
      const boot = runningBoot(bootId)
      const done = await runLab({ kind: 'lab-shell', run: boot.run, command })
      const results = done.lines.map(({ caused, modules, changed, ...result }) => {
        recorder.recordShell(
          bootId,
          { command: result.command, via },
          { ...result, modules, devices: changed },
          caused,
        )
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
    'lab:run': async (request) => {
      sessionKnown(recorder, request.sessionId)
      checkFaults(request.faults)
      const action = {
        ...bootAction(request),
        script: request.script,
        ...(request.until !== undefined ? { until: request.until } : {}),
      }
      const snapshots = recorder.snapshotsOf(request.profile, request.kernel)
      const imported = store.profiles.get(request.profile)
      const done = await runLab({
        kind: 'lab-script',
        request: {
          ...action,
          ...where,
          ...(imported ? { imported: { dtb: imported.dtb, bootargs: imported.bootargs } } : {}),
        },
        script: request.script,
        ...(request.until !== undefined ? { until: request.until } : {}),
      })
      const { outcome } = done
      const { bootId, event } = recorder.recordBoot(
        request.sessionId,
        'run',
        { ...action, cmdline: done.cmdline },
        {
          outcome: `${outcome.kind}${outcome.detail ? `: ${outcome.detail}` : ''}`,
          records: done.records.length,
          devices: done.devices,
          modules: done.modules,
          ranAt: done.ranAt,
          commands: done.commands,
        },
        done.records,
        snapshots,
      )
      return { sessionId: request.sessionId, bootId, event: event.seq }
    },
    'lab:modules': ({ bootId }) => runLab({ kind: 'lab-modules', run: runningBoot(bootId).run }),
    'lab:records': ({ bootId, from, count }) => {
      if (!store.boots.get(bootId)) throw new ApiError('not-found', `no boot with id ${bootId}`)
      return store.boots.recordsPage(bootId, from, count).map(toKernelRecord)
    },
    'lab:watch': ({ bootId, from, devicesFrom }, connection) => {
      if (!connection)
        throw new ApiError(
          'invalid-request',
          'lab:watch pushes to a page (the desktop window or the web page); use lab:records here',
        )
      const boot = store.boots.get(bootId)
      if (!boot) throw new ApiError('not-found', `no boot with id ${bootId}`)
      return streams.watch(connection, {
        bootId,
        from,
        devicesFrom,
        recordCount: boot.records,
        readRecords: (first, count) =>
          store.boots.recordsPage(bootId, first, count).map(toKernelRecord),
        devices: running.get(bootId)?.devices ?? [],
      })
    },
    'lab:timeline': ({ bootId, ...window }) =>
      runLab({ kind: 'lab-timeline', run: runningBoot(bootId).run, bootId, window }),
    'lab:graph': ({ bootId, ...request }) =>
      filterGraph(bootId, supplierGraphOf(runningBoot(bootId).devices), request),
  }
}

export function sessionKnown(recorder: SessionRecorder, sessionId: number) {
  try {
    recorder.requireSession(sessionId)
  } catch (error) {
    if (error instanceof SessionError) throw new ApiError('not-found', error.message)
    throw error
  }
}

/** A malformed fault is refused at once, not after the boots queued before this one. */
function checkFaults(faults: readonly string[]) {
  for (const fault of faults) {
    try {
      parseFault(fault)
    } catch (error) {
      if (error instanceof FaultSpecError) throw new ApiError('invalid-request', error.message)
      throw error
    }
  }
}

function bootAction(request: {
  profile: string
  kernel: string
  cmdline: string
  seed: number
  faults: string[]
  series: string[]
  config: BootAction['config']
  coldplug?: BootAction['coldplug']
}): BootAction {
  return {
    profile: request.profile,
    kernel: request.kernel,
    cmdline: request.cmdline,
    seed: request.seed,
    faults: request.faults,
    series: request.series,
    config: request.config,
    ...(request.coldplug ? { coldplug: request.coldplug } : {}),
  }
}
