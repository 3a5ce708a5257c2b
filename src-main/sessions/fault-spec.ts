import { ERRNO, type ErrnoName } from '../linux/errno'
import type { Fault } from '../kernel/kernel'

export class FaultSpecError extends Error {}

const FORMS = 'DRIVER:fail:ERRNO, DRIVER:defer:TIMES or DRIVER:delay:MS'

/** `rtc-pl031:fail:EIO`, `pl061_gpio:defer:3`, `uart-pl011:delay:250`: one fault, by driver name or module. */
export function parseFault(spec: string): Fault {
  const [driver, kind, value, extra] = spec.trim().split(':')
  if (!driver || !kind || value === undefined || extra !== undefined)
    throw new FaultSpecError(`fault "${spec}": expected ${FORMS}`)
  if (kind === 'fail') {
    if (!(value in ERRNO))
      throw new FaultSpecError(
        `fault "${spec}": unknown errno ${value}; known: ${Object.keys(ERRNO).join(', ')}`,
      )
    return { driver, kind, errno: value as ErrnoName }
  }
  if ((kind === 'defer' || kind === 'delay') && /^\d{1,7}$/.test(value) && Number(value) > 0) {
    return kind === 'defer'
      ? { driver, kind, times: Number(value) }
      : { driver, kind, ms: Number(value) }
  }
  throw new FaultSpecError(`fault "${spec}": expected ${FORMS}`)
}

/** A fault must name one of the kernel's drivers or modules: one that names nothing would do nothing. */
export function checkFaultTargets(
  faults: readonly Fault[],
  kernel: { id: string; drivers: readonly { name: string; module?: string }[] },
): void {
  const names = new Set(
    kernel.drivers.flatMap((def) => (def.module ? [def.name, def.module] : [def.name])),
  )
  for (const fault of faults) {
    if (names.has(fault.driver)) continue
    const key = fault.driver.toLowerCase().replace(/[-_]/g, '')
    const near = [...names]
      .filter((name) => {
        const other = name.toLowerCase().replace(/[-_]/g, '')
        return key.length >= 3 && (other.includes(key) || key.includes(other))
      })
      .slice(0, 5)
    throw new FaultSpecError(
      `fault on "${fault.driver}": the kernel ${kernel.id} has no driver or module of that name${
        near.length ? `; did you mean ${near.map((name) => `"${name}"`).join(', ')}?` : ''
      }`,
    )
  }
}
