/** Simulated time in nanoseconds since power-on. Nothing in the kernel reads a wall clock. */
export class VirtualClock {
  private ns = 0

  get now(): number {
    return this.ns
  }

  advance(ns: number): void {
    if (ns > 0) this.ns += Math.round(ns)
  }
}

export const NSEC_PER_USEC = 1_000
export const NSEC_PER_MSEC = 1_000_000
export const NSEC_PER_SEC = 1_000_000_000
