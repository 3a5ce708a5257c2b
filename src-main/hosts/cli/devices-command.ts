import {
  deviceReport,
  type DeviceMatch,
  type DeviceReport,
  type SupplierReport,
} from '../../userspace/device-report'
import type { Command } from './commands'
import { BOOT_OPTIONS, bootFrom, FAULT_USAGE, SERIES_USAGE, type Values } from './boot-options'
import { table } from './format'

function describeMatch(match: DeviceMatch): string {
  switch (match.kind) {
    case 'builtin':
      return `${match.driver} (built in)`
    case 'of_declare':
      return `${match.driver} (${match.table.toUpperCase()}_OF_DECLARE)`
    case 'module':
      return `${match.driver ?? '?'} (module ${match.modules.join(', ')})`
    case 'none':
      return '-'
  }
}

/** `clk-controller (clocks, no-driver, relaxed)`: a supplier, what names it, and how it stands. */
function describeSupplier(link: SupplierReport): string {
  const notes = [
    link.property,
    link.state === 'bound' ? '' : link.state,
    link.relaxed ? 'relaxed' : '',
  ]
  return `${link.device} (${notes.filter(Boolean).join(', ')})`
}

/** The lines under a device that waits or failed: its suppliers, the nodes and resources it waits for. */
export function deviceDetails(device: DeviceReport): string[] {
  const lines: string[] = []
  const waiting = (device.resources ?? []).filter((resource) => resource.state === 'waiting')
  if (device.state === 'deferred' || device.state === 'failed') {
    if (device.suppliers.length > 0)
      lines.push(`suppliers: ${device.suppliers.map(describeSupplier).join(', ')}`)
    if (device.waitingFor.length > 0)
      lines.push(
        `waits for: ${device.waitingFor.map((ref) => `${ref.node} (${ref.property})`).join(', ')}`,
      )
  }
  if (waiting.length > 0)
    lines.push(
      `resources waiting: ${waiting.map((r) => `${r.kind} ${r.property} from ${r.provider}`).join(', ')}`,
    )
  if (device.why) lines.push(`why: ${device.why}`)
  return lines.map((line) => `    ${line}`)
}

export const devicesCommand: Command = {
  path: ['devices'],
  summary:
    'Boot, then list every device the kernel created: its state, the driver that matches it (built in or which module), why it waits and for which suppliers (all of them, and the resources its probe took, with --json)',
  usage: `modlab devices --profile ID|FILE.dtb [--kernel ID|DIR] [--cmdline "..."] [--config CONFIG_X=y|m|n|free]... ${SERIES_USAGE} [--coldplug none|udev|modules.load] ${FAULT_USAGE} [--json]`,
  options: {
    ...BOOT_OPTIONS,
    coldplug: { type: 'string' },
    json: { type: 'boolean', default: false },
  },
  positionals: [],
  run: async (_request, { values }, store) => {
    const run = bootFrom(values as Values, store)
    const devices = deviceReport(run.shell.system)
    if (values.json) return `${JSON.stringify(devices, null, 2)}\n`
    const count = (state: string) => devices.filter((device) => device.state === state).length
    const [header, ...rows] = table(
      ['DEVICE', 'STATE', 'MATCHED BY', 'WAITING FOR'],
      devices.map((device) => [
        device.name,
        device.state,
        describeMatch(device.match),
        device.deferReason ?? (device.errno ? `error -${device.errno}` : ''),
      ]),
    ).split('\n')
    const lines = devices.flatMap((device, index) => [
      rows[index] as string,
      ...deviceDetails(device),
    ])
    return (
      [header, ...lines].join('\n') +
      `\n${devices.length} devices: ${count('bound')} bound, ${count('deferred')} deferred, ${count('failed')} failed, ${count('no-driver')} without a driver\n`
    )
  },
}
