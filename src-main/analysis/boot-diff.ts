import { diffArrays, structuredPatch } from 'diff'
import type { Device } from '../kernel/device'
import type { Kernel } from '../kernel/kernel'
import type { BootDiff, DeviceChange, DeviceOutcome, ProbeMove } from './whatif-types'

/** The dmesg text without its `[    1.234567] ` stamps, which move with every change. */
function plainLog(kernel: Kernel): string {
  return kernel.log.records.map((record) => `${record.text}\n`).join('')
}

/**
 * Devices driver_deferred_probe_check_state() let probe without a supplier, by the warning it
 * printed for them (drivers/base/dd.c:288).
 */
function probedWithoutSupplier(kernel: Kernel): Set<string> {
  const names = new Set<string>()
  for (const record of kernel.log.records)
    if (record.device && /ignoring dependency/.test(record.text)) names.add(record.device.name)
  return names
}

function outcome(kernel: Kernel, device: Device, withoutSupplier: Set<string>): DeviceOutcome {
  const detail =
    device.state === 'deferred'
      ? device.deferReason
      : device.state === 'failed' && device.errno
        ? `error -${device.errno}`
        : undefined
  const afterTimeout = device.state === 'bound' && withoutSupplier.has(device.name)
  return {
    state: device.state,
    ...(device.driver ? { driver: device.driver.def.name } : {}),
    ...(detail ? { detail } : {}),
    ...(afterTimeout ? { afterTimeout } : {}),
    ...(kernel.timerNodes.has(device.of) ? { ofDeclared: true } : {}),
  }
}

const sameOutcome = (a: DeviceOutcome, b: DeviceOutcome) =>
  a.state === b.state &&
  a.driver === b.driver &&
  a.detail === b.detail &&
  a.afterTimeout === b.afterTimeout &&
  a.ofDeclared === b.ofDeclared

function deviceChanges(before: Kernel, after: Kernel): DeviceChange[] {
  const lateA = probedWithoutSupplier(before)
  const lateB = probedWithoutSupplier(after)
  const was = new Map(
    before.core.devices.map((device) => [device.name, outcome(before, device, lateA)]),
  )
  const changes: DeviceChange[] = []
  for (const device of after.core.devices) {
    const now = outcome(after, device, lateB)
    const then = was.get(device.name)
    was.delete(device.name)
    if (!then || !sameOutcome(then, now))
      changes.push({ device: device.name, ...(then ? { before: then } : {}), after: now })
  }
  for (const [device, then] of was) changes.push({ device, before: then })
  return changes
}

/** The order devices first bound in. */
function bindOrder(kernel: Kernel): string[] {
  const seen = new Set<string>()
  for (const event of kernel.deviceEvents)
    if (event.state === 'bound' && !seen.has(event.device)) seen.add(event.device)
  return [...seen]
}

/**
 * Devices bound in both boots that left the longest common order of the two: the ones that really
 * moved, not every device a late one shifted by a place.
 */
function probeMoves(before: Kernel, after: Kernel): ProbeMove[] {
  const a = bindOrder(before)
  const b = bindOrder(after)
  const inB = new Set(b)
  const inA = new Set(a)
  const commonA = a.filter((name) => inB.has(name))
  const commonB = b.filter((name) => inA.has(name))
  const moved = new Set<string>()
  for (const part of diffArrays(commonA, commonB))
    if (part.added) for (const name of part.value) moved.add(name)
  const rankA = new Map(commonA.map((name, index) => [name, index + 1]))
  return commonB
    .map((device, index) => ({ device, before: rankA.get(device) as number, after: index + 1 }))
    .filter((move) => moved.has(move.device))
}

const initAt = (kernel: Kernel) => kernel.phases.find((mark) => mark.phase === 'init')?.ns ?? null

const moduleNames = (kernel: Kernel) => new Set(kernel.modules?.list.map((m) => m.def.name) ?? [])

export function diffBoots(before: Kernel, after: Kernel): BootDiff {
  const patch = structuredPatch('A/dmesg', 'B/dmesg', plainLog(before), plainLog(after), '', '', {
    context: 3,
  })
  let added = 0
  let removed = 0
  const text: string[] = []
  if (patch.hunks.length > 0) text.push('--- A/dmesg', '+++ B/dmesg')
  for (const hunk of patch.hunks) {
    text.push(`@@ -${hunk.oldStart},${hunk.oldLines} +${hunk.newStart},${hunk.newLines} @@`)
    for (const line of hunk.lines) {
      if (line.startsWith('+')) added++
      else if (line.startsWith('-')) removed++
      if (!line.startsWith('\\')) text.push(line)
    }
  }
  const modulesA = moduleNames(before)
  const modulesB = moduleNames(after)
  const heapsA = new Set(before.dmaHeaps.names())
  const heapsB = new Set(after.dmaHeaps.names())
  const heaps = {
    added: [...heapsB].filter((name) => !heapsA.has(name)),
    missing: [...heapsA].filter((name) => !heapsB.has(name)),
  }
  return {
    dmesg: text.length > 0 ? `${text.join('\n')}\n` : '',
    added,
    removed,
    devices: deviceChanges(before, after),
    probeOrder: probeMoves(before, after),
    initNs: { before: initAt(before), after: initAt(after) },
    modules: {
      loaded: [...modulesB].filter((name) => !modulesA.has(name)),
      unloaded: [...modulesA].filter((name) => !modulesB.has(name)),
    },
    ...(heaps.added.length + heaps.missing.length > 0 ? { heaps } : {}),
  }
}
