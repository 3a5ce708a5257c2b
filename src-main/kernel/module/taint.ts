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

/** /proc/sys/kernel/tainted: the bit mask, bit i for TAINT_ORDER[i]. */
export function taintMask(taints: ReadonlySet<TaintLetter>): number {
  return TAINT_ORDER.reduce(
    (mask, letter, bit) => (taints.has(letter) ? mask | (1 << bit) : mask),
    0,
  )
}
