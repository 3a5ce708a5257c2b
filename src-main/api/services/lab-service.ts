import { join } from 'node:path'
import { loadKernelProfiles } from '../../catalog/kernel-profiles'
import { BootInputError, runBoot } from '../../sessions/boot-runner'
import { deviceSnapshot } from '../../sessions/device-snapshot'
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
): Pick<ApiHandlers, 'kernels:list' | 'lab:boot' | 'lab:records' | 'lab:devices'> {
  // The devices of the last few boots, for the Lab to page through (the log itself is in SQLite).
  const devicesByBoot = new Map<number, DeviceInfo[]>()
  const remember = (bootId: number, devices: DeviceInfo[]) => {
    devicesByBoot.set(bootId, devices)
    for (const old of devicesByBoot.keys())
      if (devicesByBoot.size > RECENT_BOOTS) devicesByBoot.delete(old)
  }
  const kernels = loadKernelProfiles(join(resources, 'kernels'))
  return {
    'kernels:list': () =>
      kernels.map((kernel) => ({
        id: kernel.id,
        name: kernel.name,
        description: kernel.description,
        release: kernel.release,
        drivers: kernel.drivers.length,
      })),
    'lab:boot': (request) => {
      let run
      try {
        run = runBoot({
          ...request,
          faults: request.faults.map(parseFault),
          resources,
          imported: (id) => store.profiles.get(id),
        })
      } catch (error) {
        if (error instanceof FaultSpecError)
          throw new ApiError('invalid-request', `lab:boot: ${error.message}`)
        if (error instanceof BootInputError) throw new ApiError('not-found', error.message)
        throw error
      }
      const { kernel } = run
      const sessionId =
        request.sessionId ?? store.sessions.create(`${request.profile} · ${request.kernel}`).id
      if (!store.sessions.get(sessionId))
        throw new ApiError('not-found', `no session with id ${sessionId}`)
      const records = kernel.log.records.map((record) =>
        toKernelRecord({ ...record, device: record.device?.name }),
      )
      const boot = store.boots.record(
        {
          sessionId,
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
      const devices = deviceSnapshot(kernel)
      remember(boot.id, devices)
      const result: BootResult = {
        bootId: boot.id,
        sessionId,
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
    'lab:devices': ({ bootId, from, count }) => {
      const devices = devicesByBoot.get(bootId)
      if (!devices)
        throw new ApiError(
          'not-found',
          `the devices of boot ${bootId} are no longer held; boot again`,
        )
      return devices.slice(from, from + count)
    },
    'lab:records': ({ bootId, from, count }) => {
      if (!store.boots.get(bootId)) throw new ApiError('not-found', `no boot with id ${bootId}`)
      return store.boots.recordsPage(bootId, from, count).map(toKernelRecord)
    },
  }
}
