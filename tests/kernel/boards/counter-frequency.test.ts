import { describe, expect, it } from 'vitest'
import { calibrateDelayValues } from '../../../src-main/kernel/calibrate'
import { counterWidth } from '../../../src-main/kernel/driver-vars'
import { boardConsole } from './helpers'

/**
 * arm64 reads the counter frequency firmware wrote to CNTFRQ_EL0 (the board profile records it
 * with the real boot log it was read from); the arch timer's banner, the clocksource and sched_clock
 * lines and the delay-loop calibration follow from it. Expected lines are those real logs' own.
 */
const REAL: Record<string, string[]> = {
  db845c: [
    'arch_timer: cp15 and mmio timer(s) running at 19.20MHz (virt/virt).',
    'clocksource: arch_sys_counter: mask: 0xffffffffffffff max_cycles: 0x46d987e47, max_idle_ns: 440795202767 ns',
    'sched_clock: 56 bits at 19MHz, resolution 52ns, wraps every 4398046511078ns',
    'Calibrating delay loop (skipped), value calculated using timer frequency.. 38.40 BogoMIPS (lpj=76800)',
    'CPU: All CPU(s) started at EL1',
  ],
  hikey960: [
    'arch_timer: cp15 timer(s) running at 1.92MHz (phys).',
    'clocksource: arch_sys_counter: mask: 0xffffffffffffff max_cycles: 0x1c570327e, max_idle_ns: 1763180809505 ns',
    'sched_clock: 56 bits at 1920kHz, resolution 520ns, wraps every 4398046510977ns',
    'CPU: All CPU(s) started at EL2',
  ],
  'mt8183-pumpkin': [
    'arch_timer: cp15 timer(s) running at 13.00MHz (phys).',
    'clocksource: arch_sys_counter: mask: 0xffffffffffffff max_cycles: 0x2ff89eacb, max_idle_ns: 440795202429 ns',
    'sched_clock: 56 bits at 13MHz, resolution 76ns, wraps every 4398046511101ns',
    'Calibrating delay loop (skipped), value calculated using timer frequency.. 26.00 BogoMIPS (lpj=52000)',
  ],
  'pixel6-oriole': [
    'arch_timer: cp15 timer(s) running at 24.57MHz (phys).',
    'clocksource: arch_sys_counter: mask: 0xffffffffffffff max_cycles: 0x5ab00a189, max_idle_ns: 440795202599 ns',
    'sched_clock: 56 bits at 25MHz, resolution 40ns, wraps every 4398046511099ns',
    'Calibrating delay loop (skipped), value calculated using timer frequency.. 49.15 BogoMIPS (lpj=98304)',
    'CPU: All CPU(s) started at EL2',
  ],
  rpi4b: [
    'arch_timer: cp15 timer(s) running at 54.00MHz (phys).',
    'clocksource: arch_sys_counter: mask: 0xffffffffffffff max_cycles: 0xc743ce346, max_idle_ns: 440795203123 ns',
    'sched_clock: 56 bits at 54MHz, resolution 18ns, wraps every 4398046511102ns',
    'Calibrating delay loop (skipped), value calculated using timer frequency.. 108.00 BogoMIPS (lpj=216000)',
    'CPU: All CPU(s) started at EL2',
  ],
}

describe('the counter frequency firmware set', () => {
  for (const [board, lines] of Object.entries(REAL)) {
    it(`${board} prints its arch timer, clocksource, sched_clock and calibration lines`, () => {
      const console = boardConsole(board)
      for (const line of lines) expect(console).toContain(line)
    })
  }

  it('sizes the counter as arch_counter_get_width() does: 57 bits at 62.5 MHz, else at least 56', () => {
    const fortyYears = 40 * 365 * 24 * 3600
    expect(counterWidth(62_500_000, fortyYears, 56, 64)).toBe(57)
    expect(counterWidth(54_000_000, fortyYears, 56, 64)).toBe(56)
    expect(counterWidth(1_000_000_000, fortyYears, 56, 64)).toBe(61)
  })

  it('calibrates the delay loop from the timer rate, as time_init() and calibrate_delay() do', () => {
    expect(calibrateDelayValues(62_500_000, 250)).toEqual({ lpj: 250000, bogomips: '125.00' })
    expect(calibrateDelayValues(1_920_000, 250)).toEqual({ lpj: 7680, bogomips: '3.84' })
  })
})
