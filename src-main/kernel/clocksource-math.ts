/**
 * The kernel's fixed-point clock arithmetic (kernel/time/clocksource.c, sched_clock.c), in BigInt
 * so that the printed mask, max_cycles, max_idle_ns and wrap values match a real kernel's exactly.
 */
const U64_MAX = (1n << 64n) - 1n
const U32_MAX = (1n << 32n) - 1n
const NSEC_PER_SEC = 1_000_000_000n

export function clocksourceMask(bits: number): bigint {
  return bits >= 64 ? U64_MAX : (1n << BigInt(bits)) - 1n
}

/** clocks_calc_mult_shift(): the largest shift whose mult still converts maxsec without overflow. */
export function calcMultShift(
  from: bigint,
  to: bigint,
  maxsec: bigint,
): { mult: bigint; shift: bigint } {
  let tmp = (maxsec * from) >> 32n
  let sftacc = 32n
  while (tmp > 0n) {
    tmp >>= 1n
    sftacc -= 1n
  }
  let sft = 32n
  let mult = 0n
  for (; sft > 0n; sft--) {
    mult = ((to << sft) + from / 2n) / from
    if (mult >> sftacc === 0n) break
  }
  return { mult: mult & U32_MAX, shift: sft }
}

/** clocks_calc_max_nsecs(): half of the longest time the counter can be deferred. */
export function calcMaxNsecs(
  mult: bigint,
  shift: bigint,
  maxadj: bigint,
  mask: bigint,
): { maxNsecs: bigint; maxCycles: bigint } {
  let maxCycles = U64_MAX / (mult + maxadj)
  if (maxCycles > mask) maxCycles = mask
  const maxNsecs = ((maxCycles * (mult - maxadj)) & U64_MAX) >> shift
  return { maxNsecs: maxNsecs >> 1n, maxCycles }
}

export interface ClocksourceTiming {
  mask: bigint
  mult: bigint
  shift: bigint
  maxCycles: bigint
  maxIdleNs: bigint
}

/** __clocksource_update_freq_scale() for a counter of `bits` at `hz` (or a fixed mult/shift, as jiffies has). */
export function clocksourceTiming(
  bits: number,
  rate: { hz: number } | { mult: number; shift: number },
): ClocksourceTiming {
  const mask = clocksourceMask(bits)
  let mult: bigint
  let shift: bigint
  if ('hz' in rate) {
    const freq = BigInt(rate.hz)
    let sec = mask / freq
    if (sec === 0n) sec = 1n
    else if (sec > 600n && mask > U32_MAX) sec = 600n
    ;({ mult, shift } = calcMultShift(freq, NSEC_PER_SEC, sec))
  } else {
    mult = BigInt(rate.mult)
    shift = BigInt(rate.shift)
  }
  let maxadj = (mult * 11n) / 100n
  while ('hz' in rate && (mult + maxadj > U32_MAX || mult - maxadj < 0n)) {
    mult >>= 1n
    shift -= 1n
    maxadj = (mult * 11n) / 100n
  }
  const { maxNsecs, maxCycles } = calcMaxNsecs(mult, shift, maxadj, mask)
  return { mask, mult, shift, maxCycles, maxIdleNs: maxNsecs }
}

/** What sched_clock_register() prints: rate rounded to M/k, resolution and wrap time. */
export function schedClockTiming(bits: number, hz: number) {
  const { mult, shift } = calcMultShift(BigInt(hz), NSEC_PER_SEC, 3600n)
  const { maxNsecs } = calcMaxNsecs(mult, shift, 0n, clocksourceMask(bits))
  const roundClosest = (value: number, divisor: number) =>
    Math.floor((value + divisor / 2) / divisor)
  const [rate, unit] =
    hz >= 4_000_000
      ? [roundClosest(hz, 1_000_000), 'M']
      : hz >= 4_000
        ? [roundClosest(hz, 1_000), 'k']
        : [hz, ' ']
  return { rate, unit, resolutionNs: (1n * mult) >> shift, wrapNs: maxNsecs }
}
