import type { DriverDefinition } from '../catalog/driver-schema'
import type { Kernel } from './kernel'
import { file, type FileNode } from './kernfs/pseudo-file'

/*
 * The alternative to modules proposed upstream, which Linux does not have (6.12 frees only
 * __init, in free_initmem(), init/main.c:1449; arm64 mm/init.c:411): the code and data of chosen
 * built-in drivers, each laid out page-aligned as a module's regions are, are given back after
 * free_initmem() when nothing of them is in use. A kernel profile names the symbols in
 * `freeUnused` (`--config CONFIG_X=free`); what they weigh comes from a real build
 * (KernelInputs.freeable).
 */

/** What the boot is told of one freeable symbol, resolved from real build records. */
export interface FreeableSymbol {
  symbol: string
  /** Symbols whose code calls this one's unexported code (a library's users). */
  users: string[]
  /** Resident bytes built in, and the same sections rounded to pages as a module's; absent: unknown. */
  sizes?: { exact: number; pages: number; source: string }
}

export interface FreeUnusedOutcome {
  symbol: string
  freed: boolean
  /** Why it was kept, or which drivers went. */
  reason: string
  sizes?: FreeableSymbol['sizes']
}

const declaredTable = {
  irqchip: 'IRQCHIP_DECLARE',
  clk: 'CLK_OF_DECLARE',
  timer: 'TIMER_OF_DECLARE',
}

/**
 * Why a symbol's own code is still referenced at the end of boot, or undefined. Its code must stay
 * when one of its drivers bound a device (the device's ops and what the probe registered point
 * into it), when a device it matches is still deferred (a supplier module may come and the probe
 * run; an AMBA device whose ID is unread may match any AMBA driver), when its `*_OF_DECLARE` init ran on a node (the clockevent, clocksource or provider it
 * registered there has no struct device, but calls into it), or when it is module_init code with
 * no driver whose init ran (what it registered, a heap, points into it).
 */
function ownUse(kernel: Kernel, symbol: string, drivers: DriverDefinition[]): string | undefined {
  const mine = new Set(drivers)
  for (const device of kernel.core.devices) {
    const def = device.driver?.def
    if (def && mine.has(def)) return `${def.name} bound ${device.name}`
  }
  for (const device of kernel.core.devices) {
    if (device.state !== 'deferred') continue
    const def = kernel.core.driversMatching(device).find((driver) => mine.has(driver.def))?.def
    if (def) return `${device.name} is deferred and ${def.name} may still bind it`
    // amba_match() defers until it can read the ID (drivers/amba/bus.c): any AMBA driver may match.
    const amba = drivers.find((candidate) => candidate.bus === 'amba')
    if (amba && device.bus === 'amba' && device.periphid === undefined)
      return `${device.name}'s peripheral ID is not read yet, and ${amba.name} may match it`
  }
  for (const def of drivers) {
    const node = kernel.ofDeclared.get(def)
    if (node && def.registration.kind === 'of_declare')
      return `${declaredTable[def.registration.table]} ${def.initcall} ran on ${node.path}`
  }
  const behaviours = Object.entries(kernel.inputs.profile.behaviours ?? {})
  const init = behaviours.find(([, behaviour]) => behaviour.builtin?.kconfig === symbol)
  if (drivers.length === 0 && init && !init[1].fails)
    return `its init ${init[1].builtin?.initcall} registered what it provides`
  return undefined
}

/**
 * Decides for every freeable symbol, then frees: a library with no driver of its own is kept when
 * code that calls it is kept (a user built in and not freeable, or a freeable user kept), and
 * freed when all its users are freed or not built in; one whose users are unknown is kept.
 */
function decide(kernel: Kernel, symbols: string[]): FreeUnusedOutcome[] {
  const { profile } = kernel.inputs
  const facts = new Map((kernel.inputs.freeable ?? []).map((fact) => [fact.symbol, fact]))
  const driversOf = (symbol: string) => profile.drivers.filter((def) => def.kconfig === symbol)
  const kept = new Map<string, string>()
  for (const symbol of symbols) {
    const reason = ownUse(kernel, symbol, driversOf(symbol))
    if (reason) kept.set(symbol, reason)
  }
  const freeable = new Set(symbols)
  for (let changed = true; changed;) {
    changed = false
    for (const symbol of symbols) {
      if (kept.has(symbol)) continue
      const users = facts.get(symbol)?.users ?? []
      const caller = users.find(
        (user) => profile.config[user] === 'y' && (!freeable.has(user) || kept.has(user)),
      )
      const unknown = driversOf(symbol).length === 0 && users.length === 0
      if (!caller && !unknown) continue
      kept.set(
        symbol,
        caller
          ? `called by ${caller}, ${freeable.has(caller) ? 'which is kept' : 'built in and not freeable'}`
          : 'no driver of it and no real build naming its callers: whether it is in use is unknown',
      )
      changed = true
    }
  }
  return symbols.map((symbol) => {
    const sizes = facts.get(symbol)?.sizes
    const reason = kept.get(symbol)
    if (reason) return { symbol, freed: false, reason, ...(sizes ? { sizes } : {}) }
    const drivers = driversOf(symbol).map((def) => def.name)
    const named =
      drivers.slice(0, 3).join(', ') + (drivers.length > 3 ? ` and ${drivers.length - 3} more` : '')
    return {
      symbol,
      freed: true,
      reason:
        drivers.length > 0
          ? `${named}: bound nothing, no *_OF_DECLARE init ran, nothing deferred`
          : 'every caller is freed or not built in',
      ...(sizes ? { sizes } : {}),
    }
  })
}

const LABEL = 'modlab: free_unused_builtin'

/** After free_initmem(): frees the freeable symbols nothing uses and says what it gave back. */
export function freeUnusedBuiltin(kernel: Kernel): void {
  const { profile } = kernel.inputs
  const symbols = (profile.freeUnused ?? []).filter((symbol) => profile.config[symbol] === 'y')
  if (symbols.length === 0) return
  const outcomes = decide(kernel, symbols)
  kernel.freedUnused = outcomes
  const freed = outcomes.filter((outcome) => outcome.freed)
  // driver_unregister(): a device that appears later (a module's MFD cell) finds no driver.
  for (const { symbol } of freed)
    for (const def of profile.drivers)
      if (def.kconfig === symbol && kernel.core.drivers.some((d) => d.def === def))
        kernel.core.unregisterDriver(def)
  const sum = (
    list: FreeUnusedOutcome[],
    pick: (s: NonNullable<FreeableSymbol['sizes']>) => number,
  ) => list.reduce((total, outcome) => total + (outcome.sizes ? pick(outcome.sizes) : 0), 0)
  const pages = sum(freed, (s) => s.pages)
  const exact = sum(freed, (s) => s.exact)
  const kept = outcomes.filter((outcome) => !outcome.freed)
  const keptPadding = sum(kept, (s) => s.pages - s.exact)
  const unknown = freed.filter((outcome) => !outcome.sizes).map((outcome) => outcome.symbol)
  // free_reserved_area()'s wording (mm/page_alloc.c:5973), labelled: this is modlab's, not the kernel's.
  kernel.printk(
    'info',
    `${LABEL} (proposed upstream, not in Linux): Freeing unused built-in driver memory: ${pages / 1024}K`,
  )
  kernel.printk(
    'info',
    `${LABEL}: freed ${freed.length} of ${outcomes.length} symbols: ${exact} bytes of sections, ` +
      `${pages - exact} bytes of page alignment (each driver's regions rounded to ${profile.pageSizeK}K pages as a module's)` +
      (kept.length > 0
        ? `; the ${kept.length} kept still hold ${keptPadding} bytes of alignment`
        : '') +
      (unknown.length > 0 ? `; size unknown: ${unknown.join(', ')}` : ''),
  )
}

/** /sys/kernel/debug/free_unused_builtin: each freeable symbol, what became of it and why. */
export function freeUnusedFile(kernel: Kernel, path: string): FileNode | undefined {
  if (path !== '/sys/kernel/debug/free_unused_builtin' || !kernel.freedUnused) return undefined
  const outcomes = kernel.freedUnused
  return file(
    () =>
      `# ${LABEL} (proposed upstream, not in Linux)\n# symbol\tstate\tbytes\tpages\treason\n` +
      outcomes
        .map(
          (o) =>
            `${o.symbol}\t${o.freed ? 'freed' : 'kept'}\t${o.sizes?.exact ?? '-'}\t${o.sizes?.pages ?? '-'}\t${o.reason}\n`,
        )
        .join(''),
  )
}
