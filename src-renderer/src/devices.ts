import type { DeviceInfo, DeviceResourceInfo, DeviceState } from '@api/contract'

/** Each device as of `atNs`: those not created yet are left out, the others carry their state then. */
export function devicesAt(
  devices: readonly DeviceInfo[],
  loaded: number,
  atNs: number,
): DeviceInfo[] {
  const now: DeviceInfo[] = []
  for (let index = 0; index < loaded; index++) {
    const device = devices[index] as DeviceInfo
    let event
    for (const step of device.history) {
      if (step.ns > atNs) break
      event = step
    }
    if (!event) continue
    now.push({
      ...device,
      state: event.state,
      deferReason: event.state === 'deferred' ? event.detail : undefined,
      driver: event.state === 'bound' ? device.driver : undefined,
    })
  }
  return now
}

/** What the panel shows: a timer a `*_OF_DECLARE` driver initialised is driven, though no driver binds it. */
export type ShownState = DeviceState | 'declared'

export function shownState(device: DeviceInfo): ShownState {
  return device.state === 'no-driver' && device.initializedBy ? 'declared' : device.state
}

export const STATE_LABELS: Record<ShownState, string> = {
  bound: 'bound',
  declared: 'of_declare',
  deferred: 'deferred',
  'no-driver': 'no driver',
  failed: 'failed',
}

/** `final` is the device as the boot ended: its `why` holds for as long as its state is the same. */
export function stateDetail(device: DeviceInfo, final?: DeviceInfo): string {
  const why = final && final.state === device.state ? final.why : undefined
  if (device.state === 'deferred') {
    // The final `why` ends with the reason the kernel recorded last; earlier, that of the moment.
    if (why && final?.deferReason === device.deferReason) return why
    return device.deferReason
      ? `the kernel records "${device.deferReason}"`
      : 'the kernel records no reason'
  }
  if (device.state === 'failed') return `probe failed with error -${device.errno}`
  if (device.state === 'bound') return `bound to ${device.driver}`
  if (device.initializedBy)
    return `initialised by ${device.initializedBy.driver} (${device.initializedBy.table}) before the driver core ran; no platform driver binds it`
  return why ?? 'no driver matched'
}

/** Resources with the same kind, provider, property and state, counted once each; waits first. */
export function groupResources(
  resources: readonly DeviceResourceInfo[],
): (DeviceResourceInfo & { count: number })[] {
  const groups = new Map<string, DeviceResourceInfo & { count: number }>()
  for (const use of resources) {
    const key = `${use.kind}\0${use.provider}\0${use.property}\0${use.state}`
    const group = groups.get(key)
    if (group) group.count += 1
    else groups.set(key, { ...use, count: 1 })
  }
  const waiting = (use: DeviceResourceInfo) => (use.state === 'waiting' ? 0 : 1)
  return [...groups.values()].sort((a, b) => waiting(a) - waiting(b))
}

/** The driver that matches a device and how it gets in, as `modlab devices` tells it. */
export function matchLabel({ match }: DeviceInfo): string {
  if (match.kind === 'builtin') return `${match.driver} · built in`
  if (match.kind === 'of_declare')
    return `${match.driver} · ${match.table.toUpperCase()}_OF_DECLARE`
  if (match.kind === 'module')
    return `${match.modules.join(', ')} · ${match.modules.length > 1 ? 'modules' : 'module'}`
  return ''
}

/** The module a device's driver is, or would be: what the what-if asks about. */
export function moduleOf({ match }: DeviceInfo): string | undefined {
  if (match.kind === 'builtin' || match.kind === 'of_declare') return match.module
  if (match.kind === 'module') return match.modules[0]
  return undefined
}
