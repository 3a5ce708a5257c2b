import type { TemplateValues } from './template'

/**
 * calibrate_delay() (init/calibrate.c) with lpj_fine set: arm64's time_init() (arch/arm64/kernel/
 * time.c:69) takes `arch_timer_rate / HZ`, and the line prints `%lu.%02lu BogoMIPS (lpj=%lu)` of
 * lpj/(500000/HZ) and (lpj/(5000/HZ)) % 100.
 */
export function calibrateDelayValues(timerHz: number | undefined, hz: number): TemplateValues {
  if (timerHz === undefined) return {}
  const lpj = Math.floor(timerHz / hz)
  const whole = Math.floor(lpj / Math.floor(500000 / hz))
  const hundredths = Math.floor(lpj / Math.floor(5000 / hz)) % 100
  return { lpj, bogomips: `${whole}.${String(hundredths).padStart(2, '0')}` }
}
