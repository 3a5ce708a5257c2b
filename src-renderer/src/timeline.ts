import type { TimelineEvent } from '@api/contract'

export const LANE_TITLES: Record<string, string> = {
  initcalls: 'Initcalls',
  probes: 'Probes',
  deferrals: 'Deferrals',
  modules: 'Modules',
}

/** The theme variable an event is drawn in: its outcome where it has one. */
export function eventColorVar(event: TimelineEvent): string {
  switch (event.kind) {
    case 'initcall':
      return event.ret === 0 ? '--tl-initcall' : '--danger'
    case 'probe':
      return event.result === 'bound'
        ? '--ok'
        : event.result === 'deferred'
          ? '--warn'
          : event.result === 'failed'
            ? '--danger'
            : '--muted'
    case 'deferral':
      return '--warn'
    case 'timeout':
      return '--danger'
    case 'module':
      return event.ret === 0 ? '--tl-module' : '--danger'
  }
}

/** A short name drawn inside the box and first in the tooltip. */
export function eventLabel(event: TimelineEvent): string {
  switch (event.kind) {
    case 'initcall':
      return event.module ? `${event.fn} [${event.module}]` : event.fn
    case 'probe':
    case 'deferral':
      return event.device
    case 'timeout':
      return 'deferred probe timeout'
    case 'module':
      return `${event.op === 'load' ? 'insmod' : 'rmmod'} ${event.module}`
  }
}

/** A duration as the kernel would say it: usecs below a millisecond, ms below a second. */
export function formatDuration(ns: number): string {
  if (ns < 1e6) return `${Math.floor(ns / 1e3)} µs`
  if (ns < 1e9) return `${(ns / 1e6).toFixed(ns < 1e7 ? 2 : 1)} ms`
  return `${(ns / 1e9).toFixed(3)} s`
}

export const formatSeconds = (ns: number) => `${(ns / 1e9).toFixed(6)} s`

/** The details a tooltip or the selection panel lists, as label/value pairs. */
export function eventDetails(event: TimelineEvent): [string, string][] {
  const when: [string, string][] = [
    ['start', formatSeconds(event.startNs)],
    ['duration', formatDuration(event.durNs)],
  ]
  switch (event.kind) {
    case 'initcall':
      return [
        ['initcall', event.fn],
        ['level', event.level],
        ...(event.module ? [['module', event.module] as [string, string]] : []),
        ['returned', String(event.ret)],
        ...when,
      ]
    case 'probe':
      return [
        ['device', event.device],
        ['driver', event.driver],
        ['result', event.ret === 0 ? 'bound' : `${event.result} (${event.ret})`],
        ['attempt', event.attempt === 1 ? 'first probe' : `retry ${event.attempt - 1}`],
        ...when,
      ]
    case 'deferral':
      return [
        ['device', event.device],
        ['reason', event.reason],
        ['after probe', event.attempt === 0 ? 'none (bus match)' : String(event.attempt)],
        ['start', formatSeconds(event.startNs)],
        ['waited', `${formatDuration(event.durNs)}${event.open ? ', still deferred' : ''}`],
      ]
    case 'timeout':
      return [
        ['deferred probe timeout', `${event.pending} still deferred`],
        ['at', formatSeconds(event.startNs)],
      ]
    case 'module':
      return [
        [event.op === 'load' ? 'load' : 'unload', event.module],
        ['returned', String(event.ret)],
        ...when,
      ]
  }
}

/** Round steps for the time axis: 1, 2, 5 × a power of ten, at least `minNs` apart. */
export function axisStep(minNs: number): number {
  const power = 10 ** Math.floor(Math.log10(Math.max(minNs, 1)))
  for (const factor of [1, 2, 5, 10]) if (power * factor >= minNs) return power * factor
  return power * 10
}

export function axisLabel(ns: number, stepNs: number): string {
  if (stepNs >= 1e9) return `${(ns / 1e9).toFixed(0)} s`
  if (stepNs >= 1e6) return `${(ns / 1e9).toFixed(Math.max(0, 3 - Math.log10(stepNs / 1e6)))} s`
  return `${(ns / 1e9).toFixed(6)} s`
}
