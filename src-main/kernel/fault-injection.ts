import type { DriverDefinition } from '../catalog/driver-schema'
import { ERRNO, type ErrnoName } from '../linux/errno'
import type { ProbeOutcome } from './device'
import type { VirtualClock } from './clock'

/** A per-session fault, injected by data: the named driver's probe fails, defers, or takes longer. */
export type Fault =
  | { driver: string; kind: 'fail'; errno: ErrnoName }
  | { driver: string; kind: 'defer'; times: number }
  | { driver: string; kind: 'delay'; ms: number }

/** The faults of a session, with how many deferrals each driver has had so far. */
export class FaultInjection {
  private readonly deferCounts = new Map<string, number>()

  constructor(
    private readonly faults: readonly Fault[],
    private readonly clock: VirtualClock,
  ) {}

  /** What an injected fault makes of this driver's probe, if one names it (by driver or module). */
  probe(def: DriverDefinition): ProbeOutcome | undefined {
    for (const fault of this.faults) {
      if (fault.driver !== def.name && fault.driver !== def.module) continue
      if (fault.kind === 'fail') return { ret: -ERRNO[fault.errno] }
      if (fault.kind === 'delay') this.clock.advance(fault.ms * 1_000_000)
      if (fault.kind === 'defer') {
        const done = this.deferCounts.get(def.name) ?? 0
        if (done < fault.times) {
          this.deferCounts.set(def.name, done + 1)
          return {
            ret: -ERRNO.EPROBE_DEFER,
            reason: `injected deferral ${done + 1} of ${fault.times}`,
          }
        }
      }
    }
    return undefined
  }
}
