import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import type { TraceEvent } from '../../src-main/kernel/trace'
import { runBoot } from '../../src-main/sessions/boot-runner'
import { indexTimeline, kernelTimeline, timelineWindow } from '../../src-main/sessions/timeline'
import { ROOT } from '../kernel/helpers'

const resources = join(ROOT, 'resources')
const bootOf = (profile: string, cmdline: string, kernel = 'debian-6.12-arm64') =>
  runBoot({ profile, kernel, resources, cmdline }).kernel

const RETURNED =
  /^initcall (\S+)\+0x[0-9a-f]+\/0x[0-9a-f]+(?: \[\S+\])? returned (-?\d+) after (\d+) usecs$/

describe('the kernel trace', () => {
  const debug = bootOf('qemu-virt', 'console=ttyAMA0 initcall_debug')

  it("agrees with initcall_debug's lines: each initcall's function, return and duration", () => {
    const printed = debug.log.records.flatMap((record) => {
      const found = RETURNED.exec(record.text)
      return found ? [{ fn: found[1], ret: Number(found[2]), usecs: Number(found[3]) }] : []
    })
    const traced = debug.trace.events.flatMap((event) =>
      event.kind === 'initcall'
        ? [{ fn: event.fn, ret: event.ret, usecs: Math.floor(event.durNs / 1000) }]
        : [],
    )
    expect(printed.length).toBeGreaterThan(500)
    expect(traced).toEqual(printed)
  })

  it('points each initcall at its `calling` line and spans the lines it printed', () => {
    const initcalls = debug.trace.events.filter((event) => event.kind === 'initcall')
    for (const event of initcalls.slice(0, 50)) {
      const calling = debug.log.records[event.seq as number]
      expect(calling?.text).toMatch(new RegExp(`^calling  ${event.fn}\\+`))
      const last = debug.log.records[(event.seqEnd as number) - 1]
      expect(last?.text).toMatch(new RegExp(`^initcall ${event.fn}\\+.* returned`))
    }
  })

  it('records the same initcalls without initcall_debug, with no lines to point at', () => {
    const quiet = bootOf('qemu-virt', 'console=ttyAMA0')
    const fns = (events: TraceEvent[]) =>
      events.flatMap((event) => (event.kind === 'initcall' ? [event.fn] : []))
    expect(fns(quiet.trace.events)).toEqual(fns(debug.trace.events))
    const silent = quiet.trace.events.find(
      (event) => event.kind === 'initcall' && event.fn === 'deferred_probe_initcall',
    )
    expect(silent).toBeDefined()
    expect(silent?.seq).toBeUndefined()
  })

  describe('on db845c', () => {
    const kernel = bootOf('db845c', '')

    it('records a deferral with its reason, then the retry that binds it', () => {
      const events = kernel.trace.events.filter(
        (event) => 'device' in event && event.device === '100000.clock-controller',
      )
      const deferral = events.find((event) => event.kind === 'deferral')
      expect(deferral).toMatchObject({
        kind: 'deferral',
        reason: 'platform: wait for supplier /soc@0/rsc@179c0000/clock-controller',
        attempt: 1,
        open: false,
      })
      const probes = events.filter((event) => event.kind === 'probe')
      expect(
        probes.map((probe) => probe.kind === 'probe' && [probe.attempt, probe.result]),
      ).toEqual([
        [1, 'deferred'],
        [2, 'bound'],
      ])
      // The deferral lasts until the retry starts.
      const retry = probes[1] as TraceEvent
      expect((deferral as TraceEvent).startNs + (deferral as TraceEvent).durNs).toBeLessThanOrEqual(
        retry.startNs + 1,
      )
    })

    it('marks the deferred-probe timeout at the first `deferred probe pending` line', () => {
      // db845c ends with nothing deferred; HiKey960 keeps two devices waiting past the timeout.
      const hikey = bootOf('hikey960', '')
      const timeout = hikey.trace.events.find((event) => event.kind === 'timeout')
      expect(timeout).toMatchObject({ kind: 'timeout', pending: 2 })
      expect(hikey.log.records[timeout?.seq as number]?.text).toMatch(/deferred probe pending/)
      const stillDeferred = hikey.trace.events.filter(
        (event) => event.kind === 'deferral' && event.open,
      )
      expect(stillDeferred).toHaveLength(2)
      for (const event of stillDeferred)
        expect(hikey.log.records[event.seq as number]?.text).toContain('deferred probe pending')
    })

    it('records the modules coldplug loads, each with its init', () => {
      const loads = kernel.trace.events.filter((event) => event.kind === 'module')
      expect(loads.length).toBeGreaterThan(10)
      expect(loads.every((event) => event.kind === 'module' && event.op === 'load')).toBe(true)
    })

    it('is the same across two boots of the same inputs', () => {
      expect(bootOf('db845c', '').trace.events).toEqual(kernel.trace.events)
    })

    it('gives a window the events overlapping it, and density per lane', () => {
      const index = kernelTimeline(kernel)
      const whole = timelineWindow(1, index, { buckets: 100, limit: 10_000 })
      expect(whole.inWindow).toBe(kernel.trace.events.length)
      expect(whole.events).toHaveLength(kernel.trace.events.length)
      const fromNs = 1e9
      const toNs = 2e9
      const part = timelineWindow(1, index, { fromNs, toNs, buckets: 50, limit: 10_000 })
      const overlapping = whole.events.filter(
        (event) => event.startNs <= toNs && event.startNs + event.durNs >= fromNs,
      )
      expect(part.events.map((event) => event.id)).toEqual(overlapping.map((event) => event.id))
      const limited = timelineWindow(1, index, { buckets: 50, limit: 10 })
      expect(limited.events).toHaveLength(10)
      expect(limited.inWindow).toBe(kernel.trace.events.length)
      const longest = Math.max(...whole.events.map((event) => event.durNs))
      expect(limited.events.some((event) => event.durNs === longest)).toBe(true)
    })

    it('finds the probe that printed a record', () => {
      const index = kernelTimeline(kernel)
      const probe = kernel.trace.events.find(
        (event) => event.kind === 'probe' && event.seq !== undefined,
      ) as TraceEvent
      const found = timelineWindow(1, index, { buckets: 10, limit: 1, seq: probe.seq })
      expect(found.match).toMatchObject({ kind: 'probe', startNs: probe.startNs })
    })
  })

  it('stacks overlapping events of a lane into rows', () => {
    const events: TraceEvent[] = [
      { kind: 'module', module: 'a', op: 'load', ret: 0, startNs: 0, durNs: 10 },
      { kind: 'module', module: 'b', op: 'load', ret: 0, startNs: 5, durNs: 10 },
      { kind: 'module', module: 'c', op: 'load', ret: 0, startNs: 12, durNs: 1 },
    ]
    const index = indexTimeline(events, (event) => event.durNs, 0)
    expect([...index.row]).toEqual([0, 1, 0])
    expect(index.rows[3]).toBe(2)
  })
})
