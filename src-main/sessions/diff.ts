import { createTwoFilesPatch } from 'diff'
import type { Store } from '../store/database'
import type { MachineState } from './events'
import { SessionError } from './recorder'

export interface BootDiff {
  a: number
  b: number
  /** A unified diff of the two dmesg texts with their timestamps set aside; empty when they agree. */
  dmesg: string
  /** Devices whose state at the end differs (absent on one side: no such device). */
  devices: { name: string; a?: string; b?: string }[]
  /** Modules loaded at the end on one side only. */
  modules: { name: string; a: boolean; b: boolean }[]
}

export interface SessionsDiff {
  a: number
  b: number
  /** Actions at the same index that differ (kind or inputs), and those one side lacks. */
  actions: { event: number; a?: string; b?: string }[]
  /** The sessions' boots side by side, in order. */
  boots: BootDiff[]
}

/** What `dmesg` shows without its timestamps: the text a diff of two boots is about. */
function dmesgText(store: Store, bootId: number): string {
  return store.boots
    .records(bootId)
    .map((record) => `${record.text}\n`)
    .join('')
}

/** The devices' states and the loaded modules after the boot's last recorded action. */
function endState(store: Store, bootId: number): Required<MachineState> {
  const boot = store.boots.get(bootId)
  if (!boot) throw new SessionError(`no boot with id ${bootId}`)
  const devices: Record<string, string> = {}
  let modules: string[] = []
  for (const event of store.events.list(boot.sessionId)) {
    if (event.bootId !== bootId) continue
    const result = event.result as MachineState
    Object.assign(devices, result.devices ?? {})
    if (result.modules) modules = result.modules
  }
  return { devices, modules }
}

export function diffBoots(store: Store, a: number, b: number): BootDiff {
  for (const id of [a, b]) if (!store.boots.get(id)) throw new SessionError(`no boot with id ${id}`)
  const textA = dmesgText(store, a)
  const textB = dmesgText(store, b)
  const dmesg =
    textA === textB
      ? ''
      : createTwoFilesPatch(`boot ${a}`, `boot ${b}`, textA, textB, undefined, undefined, {
          context: 3,
        })
          .split('\n')
          .slice(1) // the "Index" separator line
          .join('\n')
  const endA = endState(store, a)
  const endB = endState(store, b)
  const names = [...new Set([...Object.keys(endA.devices), ...Object.keys(endB.devices)])]
  const devices = names
    .filter((name) => endA.devices[name] !== endB.devices[name])
    .map((name) => ({
      name,
      ...(endA.devices[name] ? { a: endA.devices[name] } : {}),
      ...(endB.devices[name] ? { b: endB.devices[name] } : {}),
    }))
  const modules = [...new Set([...endA.modules, ...endB.modules])]
    .map((name) => ({ name, a: endA.modules.includes(name), b: endB.modules.includes(name) }))
    .filter((module) => module.a !== module.b)
    .sort((x, y) => (x.name < y.name ? -1 : 1))
  return { a, b, dmesg, devices, modules }
}

/** A one-line summary of an action, as the diff and the session list show it. */
export function describeAction(kind: string, action: unknown): string {
  const fields = action as Record<string, unknown>
  if (kind === 'shell') return `shell: ${String(fields.command)}`
  if (kind === 'boot' || kind === 'run') {
    const extra = [
      fields.seed ? `seed ${String(fields.seed)}` : '',
      ...((fields.faults as string[] | undefined) ?? []).map((f) => `fault ${f}`),
      ...((fields.series as string[] | undefined) ?? []).map((s) => `series ${s}`),
      ...Object.entries((fields.config as Record<string, string> | undefined) ?? {}).map(
        ([symbol, value]) => `${symbol}=${value}`,
      ),
      kind === 'run' ? `script ${JSON.stringify(fields.script)}` : '',
    ].filter(Boolean)
    return `${kind} ${String(fields.profile)} on ${String(fields.kernel)}${fields.cmdline ? ` "${String(fields.cmdline)}"` : ''}${extra.length ? `, ${extra.join(', ')}` : ''}`
  }
  return `${kind} ${JSON.stringify(action)}`
}

export function diffSessions(store: Store, a: number, b: number): SessionsDiff {
  for (const id of [a, b])
    if (!store.sessions.get(id)) throw new SessionError(`no session with id ${id}`)
  const eventsA = store.events.list(a)
  const eventsB = store.events.list(b)
  const actions: SessionsDiff['actions'] = []
  for (let index = 0; index < Math.max(eventsA.length, eventsB.length); index++) {
    const x = eventsA[index]
    const y = eventsB[index]
    const textA = x && describeAction(x.kind, x.action)
    const textB = y && describeAction(y.kind, y.action)
    if (textA !== textB)
      actions.push({ event: index, ...(textA ? { a: textA } : {}), ...(textB ? { b: textB } : {}) })
  }
  const bootsA = store.boots.list(a)
  const bootsB = store.boots.list(b)
  const boots: BootDiff[] = []
  for (let index = 0; index < Math.min(bootsA.length, bootsB.length); index++)
    boots.push(diffBoots(store, bootsA[index]!.id, bootsB[index]!.id))
  return { a, b, actions, boots }
}
