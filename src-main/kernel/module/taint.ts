import type { LoadedModule } from './loader'

/** kernel/panic.c taint_flags[], in the order the kernel prints them. */
export const TAINT_ORDER = [
  'P',
  'F',
  'S',
  'R',
  'M',
  'B',
  'U',
  'D',
  'A',
  'W',
  'C',
  'I',
  'O',
  'E',
  'L',
  'K',
  'X',
  'T',
  'N',
] as const
export type TaintLetter = (typeof TAINT_ORDER)[number]

/** print_tainted(): `Tainted: P           OE` uses a column per flag; this is the short letter list. */
export function taintString(taints: ReadonlySet<TaintLetter>): string {
  return TAINT_ORDER.filter((letter) => taints.has(letter)).join('')
}

/** taint_flags[]' names (kernel/panic.c:548, TAINT_FLAG(taint, ...) keeps #taint as desc). */
const TAINT_NAMES: Record<TaintLetter, string> = {
  P: 'PROPRIETARY_MODULE',
  F: 'FORCED_MODULE',
  S: 'CPU_OUT_OF_SPEC',
  R: 'FORCED_RMMOD',
  M: 'MACHINE_CHECK',
  B: 'BAD_PAGE',
  U: 'USER',
  D: 'DIE',
  A: 'OVERRIDDEN_ACPI_TABLE',
  W: 'WARN',
  C: 'CRAP',
  I: 'FIRMWARE_WORKAROUND',
  O: 'OOT_MODULE',
  E: 'UNSIGNED_MODULE',
  L: 'SOFTLOCKUP',
  K: 'LIVEPATCH',
  X: 'AUX',
  T: 'RANDSTRUCT',
  N: 'TEST',
}

/**
 * print_tainted() (kernel/panic.c:571): `Not tainted`, or a column per flag, its letter when set,
 * else `G` for the proprietary flag and a space for the others: `Tainted: G      D           `.
 */
export function printTainted(taints: ReadonlySet<TaintLetter>): string {
  if (taints.size === 0) return 'Not tainted'
  const columns = TAINT_ORDER.map((letter) =>
    taints.has(letter) ? letter : letter === 'P' ? 'G' : ' ',
  )
  return `Tainted: ${columns.join('')}`
}

/** print_tainted_verbose() (6.12): `Tainted: [R]=FORCED_RMMOD, [D]=DIE`. */
export function printTaintedVerbose(taints: ReadonlySet<TaintLetter>): string {
  const set = TAINT_ORDER.filter((letter) => taints.has(letter))
  return `Tainted: ${set.map((letter) => `[${letter}]=${TAINT_NAMES[letter]}`).join(', ')}`
}

/** /proc/sys/kernel/tainted: the bit mask, bit i for TAINT_ORDER[i]. */
export function taintMask(taints: ReadonlySet<TaintLetter>): number {
  return TAINT_ORDER.reduce(
    (mask, letter, bit) => (taints.has(letter) ? mask | (1 << bit) : mask),
    0,
  )
}

/** module_flags() (kernel/module/main.c:3455): `(OE)`, with `+` while loading and `-` while unloading; empty when untainted. */
export function moduleFlags(module: LoadedModule): string {
  let flags = TAINT_ORDER.filter((letter) => module.taints.has(letter)).join('')
  if (module.state === 'going') flags += '-'
  if (module.state === 'coming') flags += '+'
  return flags ? `(${flags})` : ''
}
