import { ERRNO } from '../../linux/errno'
import type { Kernel } from '../kernel'
import type { LoadedModule } from './loader'

const LIMITS: Record<string, { min: bigint; max: bigint }> = {
  byte: { min: 0n, max: 0xffn },
  short: { min: -0x8000n, max: 0x7fffn },
  ushort: { min: 0n, max: 0xffffn },
  int: { min: -0x80000000n, max: 0x7fffffffn },
  uint: { min: 0n, max: 0xffffffffn },
  hexint: { min: 0n, max: 0xffffffffn },
  long: { min: -(1n << 63n), max: (1n << 63n) - 1n },
  ulong: { min: 0n, max: (1n << 64n) - 1n },
  ullong: { min: 0n, max: (1n << 64n) - 1n },
}

/**
 * _kstrtoull() (lib/kstrtox.c): base 0 picks 16 for `0x` followed by a hex digit, 8 for a leading
 * `0`, else 10; one trailing newline allowed; -EINVAL for anything else, -ERRNO.ERANGE past 64 bits.
 */
function kstrtoull(text: string): bigint | number {
  let s = text.startsWith('+') ? text.slice(1) : text
  if (s.endsWith('\n')) s = s.slice(0, -1)
  let base = 10
  if (s[0] === '0' && (s[1] === 'x' || s[1] === 'X') && /[0-9a-f]/i.test(s[2] ?? '')) {
    base = 16
    s = s.slice(2)
  } else if (s[0] === '0') base = 8
  const digits = base === 16 ? /^[0-9a-f]+$/i : base === 8 ? /^[0-7]+$/ : /^[0-9]+$/
  if (!digits.test(s)) return -ERRNO.EINVAL
  let value = 0n
  for (const ch of s) {
    value = value * BigInt(base) + BigInt(parseInt(ch, 16))
    if (value >= 1n << 64n) return -ERRNO.ERANGE
  }
  return value
}

/** param_set_bool(): kstrtobool(), no value meaning true (KERNEL_PARAM_OPS_FL_NOARG). */
function setBool(value: string | undefined): number {
  if (value === undefined) return 0
  const first = value[0]?.toLowerCase()
  if (
    first === 'y' ||
    first === 't' ||
    first === '1' ||
    first === 'n' ||
    first === 'f' ||
    first === '0'
  )
    return 0
  if (first === 'o' && /^o(n|ff)/i.test(value)) return 0
  return -ERRNO.EINVAL
}

/** An integer parameter's value as the module sees it once its set operation accepted it (0 otherwise). */
export function paramInt(value: string): number {
  const negative = value.startsWith('-')
  const parsed = kstrtoull(negative ? value.slice(1) : value)
  if (typeof parsed === 'number') return 0
  return Number(negative ? -parsed : parsed)
}

/**
 * A module parameter's set operation (kernel/params.c): param_set_int() and friends are
 * kstrto<type>(val, 0, ...) (STANDARD_PARAM_DEF), bool and invbool take kstrtobool(); a missing
 * value is -EINVAL unless the type takes none (parse_one()). charp and string take anything.
 * `type` is the `parmtype` of `.modinfo` (`int`, `uint`, `bool`, `array of int`...).
 */
export function setParam(type: string, value: string | undefined): number {
  if (type === 'bool' || type === 'invbool') return setBool(value)
  if (value === undefined) return -ERRNO.EINVAL
  if (type.startsWith('array of ')) {
    // param_array_set(): comma-separated elements, each through the element type's set.
    const element = type.slice('array of '.length)
    for (const item of value.split(',')) {
      const ret = setParam(element, item)
      if (ret < 0) return ret
    }
    return 0
  }
  const limits = LIMITS[type]
  if (!limits) return 0
  const negative = value.startsWith('-')
  if (negative && limits.min === 0n) return -ERRNO.EINVAL
  const parsed = kstrtoull(negative ? value.slice(1) : value)
  if (typeof parsed === 'number') return parsed
  const signed = negative ? -parsed : parsed
  if (signed < limits.min || signed > limits.max) return -ERRNO.ERANGE
  return 0
}

/** next_arg() (lib/cmdline.c) for the module's argument string: `name`, `name=value`, quotes removed. */
export function moduleArgs(args: string): { name: string; value: string | undefined }[] {
  const out: { name: string; value: string | undefined }[] = []
  for (const word of args.split(/\s+/).filter(Boolean)) {
    const at = word.indexOf('=')
    const name = at < 0 ? word : word.slice(0, at)
    const value = at < 0 ? undefined : word.slice(at + 1).replace(/^"(.*)"$/, '$1')
    out.push({ name, value })
  }
  return out
}

/**
 * parse_args() (kernel/params.c:161) with unknown_module_param_cb(): each known parameter set through
 * its type's set operation, an unknown one ignored with a warning; every failure printed and
 * parsing goes on, the last error returned (load_module() then frees the module).
 */
export function parseArgs(kernel: Kernel, module: LoadedModule, args: string): number {
  const all = moduleArgs(args)
  const dashes = all.findIndex((arg) => arg.name === '--' && arg.value === undefined)
  const types = new Map(module.def.params.map((param) => [param.name, param.type]))
  let err = 0
  for (const { name: key, value } of dashes < 0 ? all : all.slice(0, dashes)) {
    const type = types.get(key)
    if (type === undefined) {
      kernel.printk('warning', `${module.name}: unknown parameter '${key}' ignored`)
      continue
    }
    const ret = setParam(type, value)
    if (ret === 0) {
      module.params.set(key, value ?? '')
      continue
    }
    kernel.printk('err', `${module.name}: \`${value ?? ''}' invalid for parameter \`${key}'`)
    err = ret
  }
  if (err === 0 && dashes >= 0 && dashes < all.length - 1)
    kernel.printk(
      'warning',
      `${module.name}: parameters '${args
        .split(/\s+/)
        .filter(Boolean)
        .slice(dashes + 1)
        .join(' ')}' after \`--' ignored`,
    )
  return err
}
