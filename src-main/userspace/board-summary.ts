import { deviceReport } from './device-report'
import type { System } from './system'

export interface BoardSummary {
  devices: number
  bound: number
  deferred: number
  failed: number
  noDriver: number
  /** Every device left unbound, with why; devices with the same reason grouped, in device order. */
  unbound: { reason: string; devices: string[] }[]
}

/** How a boot ended for each device of the board: the counts, and why each unbound one is. */
export function boardSummary(system: System): BoardSummary {
  const devices = system.kernel.core.devices
  const reports = deviceReport(system)
  const groups = new Map<string, string[]>()
  reports.forEach((report) => {
    const reason = report.why
    if (!reason) return
    const group = groups.get(reason) ?? []
    group.push(report.name)
    groups.set(reason, group)
  })
  const count = (state: string) => devices.filter((device) => device.state === state).length
  return {
    devices: devices.length,
    bound: count('bound'),
    deferred: count('deferred'),
    failed: count('failed'),
    noDriver: count('no-driver'),
    unbound: [...groups].map(([reason, names]) => ({ reason, devices: names })),
  }
}
