import { ERRNO, type ErrnoName } from '../kernel/errno'
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
