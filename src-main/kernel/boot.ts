import type { DriverDefinition } from '../catalog/driver-schema'
import { INITCALL_SECTIONS } from '../linux/initcall-levels'
import type { CoreInitcall, Step } from '../catalog/kernel-profile-schema'
import { NSEC_PER_SEC, NSEC_PER_USEC } from './clock'
import { Kernel, type KernelInputs } from './kernel'
import { calibrateDelayValues } from './calibrate'
import { dmaContiguousReserve } from './cma'
import { memoryLineIsLate, printMemory } from './memblock'
import { earlyInitFdtScanReservedMem, fdtScanReservedMemRegNodes } from './of-reserved-mem'
import { runConfigInitcalls } from './initcalls-config'
import { panic } from './panic'
import { newCpuCapabilities, secondaryCpuValues } from './smp'
import { runOfDeclare } from './of-declare'
import { freeUnusedBuiltin } from './free-unused'
import { ofPlatformDefaultPopulateInit } from './of-platform'
import { versionAtLeast } from '../linux/version'
import type { TemplateValues } from './template'

/** What runs in userspace once init started (coldplug), before the kernel's pending timers fire. */
export interface BootHooks {
  userspace?: (kernel: Kernel) => void
}

/** Boots a kernel profile on a board, from power-on through init and the timers that follow. */
export function bootKernel(inputs: KernelInputs, hooks: BootHooks = {}): Kernel {
  const kernel = new Kernel(inputs)
  startKernel(kernel)
  if (kernel.outcome.kind === 'running') kernelInit(kernel)
  if (kernel.outcome.kind === 'running' && kernel.phases.some((mark) => mark.phase === 'init'))
    hooks.userspace?.(kernel)
  if (kernel.outcome.kind === 'running') kernel.timers.run()
  kernel.markPhase('end')
  return kernel
}

function step(kernel: Kernel, step: Step, extra: TemplateValues = {}): void {
  kernel.spendUs(step.us)
  kernel.printMessages(step.messages, { ...kernel.boardValues(), ...extra })
}

/** start_kernel() up to rest_init(). */
function startKernel(kernel: Kernel): void {
  const { profile, board } = kernel.inputs
  const steps = profile.steps
  kernel.markPhase('start_kernel')
  step(kernel, steps.start)
  kernel.printk('notice', profile.banner)
  step(kernel, steps.beforeMachineModel)
  kernel.markPhase('setup_arch')
  kernel.printk('info', `Machine model: ${board.model}`)
  if (kernel.ignoreLoglevel) kernel.printk('info', 'printk: debug: ignoring loglevel setting.')
  // fdt_scan_reserved_mem_reg_nodes() prints where the importer found its line for a tree without
  // /reserved-memory; the regions of a tree with one are printed there: the dynamic ones from
  // arm64_memblock_init() first, then the static ones from unflatten_device_tree().
  const setup = steps.setupArch.messages
  const scanned = setup.findIndex((message) => message.if === 'of.noReservedMemory') + 1
  step(kernel, { ...steps.setupArch, messages: setup.slice(0, scanned) })
  earlyInitFdtScanReservedMem(kernel)
  fdtScanReservedMemRegNodes(kernel)
  step(kernel, { us: 0, messages: setup.slice(scanned) })
  dmaContiguousReserve(kernel)
  step(kernel, steps.afterCma)
  kernel.printk('notice', `Kernel command line: ${kernel.cmdline.raw}`)
  step(kernel, steps.beforeMemory)
  // beforeInitIrq is what follows the Memory line (scripts/import-boot-log.mjs): printed with it.
  if (!memoryLineIsLate(kernel)) {
    printMemory(kernel)
    step(kernel, steps.beforeInitIrq)
  }
  kernel.markPhase('init_IRQ')
  runOfDeclare(kernel, 'irqchip')
  step(kernel, steps.beforeTimeInit)
  // timekeeping_init() (kernel/time/timekeeping.c) takes clocksource_default_clock(), which in
  // 6.12 registers jiffies there (kernel/time/jiffies.c); 6.1 registered it at core_initcall
  // (init_jiffies_clocksource) [first release unverified].
  if (versionAtLeast(profile.version, 6, 12)) kernel.timekeeping.registerJiffies(profile.hz)
  kernel.markPhase('time_init')
  runOfDeclare(kernel, 'clk')
  if (runOfDeclare(kernel, 'timer') === 0)
    kernel.printk('crit', 'timer_probe: no matching timers found')
  kernel.timekeeping.registerHrtimerBroadcast()
  step(kernel, steps.afterTimeInit)
  kernel.markPhase('console_init')
  runInitcalls(kernel, 'console')
  if (!kernel.timekeeping.tickDevice) {
    const calibrated = calibrateDelayValues(kernel.timekeeping.delayTimerHz, profile.hz)
    if (calibrated.lpj === undefined) {
      // calibrate_delay() waits for a jiffy that never comes: no tick device, no tick.
      kernel.printk('info', 'Calibrating delay loop... ')
      kernel.outcome = {
        kind: 'hung',
        detail: 'no clock event device: the tick never starts and jiffies never advance',
      }
    } else {
      // lpj_fine came from the timer rate (arch/arm64/kernel/time.c:69): calibration is skipped
      // and the boot goes on until something waits for a jiffy [where is not simulated].
      const calibrating = steps.afterConsole.messages.filter((m) => m.text.includes('{lpj}'))
      kernel.printMessages(calibrating, {
        ...kernel.boardValues(),
        ...calibrated,
      })
      kernel.outcome = {
        kind: 'hung',
        detail:
          'no clock event device: jiffies never advance, and the first wait for a timer never returns',
      }
    }
    return
  }
  step(
    kernel,
    steps.afterConsole,
    calibrateDelayValues(kernel.timekeeping.delayTimerHz, profile.hz),
  )
}

function kernelInit(kernel: Kernel): void {
  const { profile, board } = kernel.inputs
  const steps = profile.steps
  kernel.markPhase('initcall:early')
  runInitcalls(kernel, 'early')
  kernel.markPhase('smp_init')
  step(kernel, steps.smpStart)
  for (let cpu = 1; cpu < board.cpus; cpu++) {
    // notify_cpu_starting() (arch/arm64/kernel/smp.c:249): the timers' cpuhp STARTING callbacks.
    kernel.timekeeping.cpuStarting(cpu)
    for (const desc of newCpuCapabilities(board, cpu))
      kernel.printk('info', `CPU features: detected: ${desc}`)
    step(kernel, steps.secondaryCpu, secondaryCpuValues(board, cpu))
  }
  step(kernel, steps.smpDone)
  if (memoryLineIsLate(kernel)) {
    // page_alloc_init_late() (mm/mm_init.c), after the deferred pages are initialised.
    kernel.markPhase('page_alloc_init_late')
    printMemory(kernel)
    step(kernel, steps.beforeInitIrq)
  }
  // After early initcalls and SMP bring-up: every section from pure to late_sync, in link order.
  for (const level of INITCALL_SECTIONS.slice(INITCALL_SECTIONS.indexOf('pure'))) {
    kernel.markPhase(`initcall:${level}`)
    runInitcalls(kernel, level)
  }
  kernel.markPhase('console_on_rootfs')
  for (const console of kernel.consoles) {
    if (!console.device) continue
    const def = console.device.driver?.def
    kernel.printMessages(
      console.onOpen,
      def ? kernel.driverValues(def, console.device.of, console.device) : {},
      console.device,
    )
  }
  step(kernel, steps.afterInitcalls)
  runInit(kernel)
}

/** The one program the simulated initramfs holds. */
const INITRAMFS_INIT = '/init'

/**
 * kernel_init(): the initramfs's rdinit (default /init) runs when it exists, and then `init=` is
 * not looked at. Without it, prepare_namespace() needs a root device, which no board has here.
 */
function runInit(kernel: Kernel): void {
  const { profile } = kernel.inputs
  const rdinit = kernel.cmdline.params.get('rdinit')
  const ramdiskCommand = typeof rdinit === 'string' ? rdinit : INITRAMFS_INIT
  const hasInitramfs = kernel.inputs.initramfs !== null && !kernel.cmdline.params.has('noinitrd')
  if (typeof rdinit === 'string' && (!hasInitramfs || rdinit !== INITRAMFS_INIT)) {
    kernel.printk('warning', `check access for rdinit=${rdinit} failed: -2, ignoring`)
  }
  if (!hasInitramfs || ramdiskCommand !== INITRAMFS_INIT) {
    kernel.printk('info', 'List of all partitions:')
    kernel.printk('info', 'No filesystem could mount root, tried: ')
    kernel.printk('info', '')
    panic(kernel, 'VFS: Unable to mount root fs on unknown-block(0,0)')
    return
  }
  kernel.markPhase('free_initmem')
  kernel.printk('info', `Freeing unused kernel memory: ${profile.image.initK}K`)
  freeUnusedBuiltin(kernel)
  step(kernel, profile.steps.afterFreeInit)
  kernel.markPhase('init')
  kernel.printk('info', `Run ${ramdiskCommand} as init process`)
  kernel.printk('debug', '  with arguments:')
  kernel.printk('debug', `    ${ramdiskCommand}`)
  kernel.printk('debug', '  with environment:')
  kernel.printk('debug', '    HOME=/')
  kernel.printk('debug', '    TERM=linux')
  kernel.outcome = { kind: 'running', detail: `${ramdiskCommand} is running` }
}

/** do_initcall_level(): the profile's initcalls of one section, plus drivers it has no entry for. */
function runInitcalls(kernel: Kernel, level: CoreInitcall['level']): void {
  const { profile } = kernel.inputs
  const listed = profile.initcalls.filter((initcall) => initcall.level === level)
  const driversByInitcall = driversByInitcallOf(profile.drivers)
  const known = new Set(profile.initcalls.map((initcall) => initcall.fn))
  const extra = profile.drivers.filter(
    (def) =>
      def.registration.kind === 'initcall' &&
      def.registration.level === level &&
      !known.has(def.initcall),
  )
  const calls: CoreInitcall[] = [
    ...listed,
    ...extra.map((def) => ({
      fn: def.initcall,
      level,
      size: 0,
      us: 0,
      messages: [],
      mechanism: 'driver' as const,
    })),
  ]
  const pid = level === 'console' ? 0 : 1
  const registered = kernel.registeredDrivers
  for (const initcall of calls) {
    // The initcall of a driver that is not built in is not in the image (a module, or off).
    const defs = (driversByInitcall.get(initcall.fn) ?? []).filter(
      (def) => def.registration.kind === 'initcall',
    )
    const inImage = defs.filter((def) => kernel.isBuiltIn(def))
    if (defs.length > 0 && inImage.length === 0) continue
    if (initcall.mechanism === 'driver' && inImage.length === 0) continue
    // Several static functions may share a name (mtk_pinctrl_init in five drivers): the first
    // entry registers every driver of that name, the others still run as initcalls.
    const builtIn = inImage.filter((def) => !registered.has(def))
    const symbol = `${initcall.fn}+0x0/0x${initcall.size.toString(16)}`
    const span = kernel.trace.begin()
    if (kernel.initcallDebug) kernel.printk('debug', `calling  ${symbol} @ ${pid}`)
    const start = kernel.clock.now
    for (const def of builtIn) {
      registered.add(def)
      registerDriver(kernel, def)
    }
    if (builtIn.length === 0) runMechanism(kernel, initcall)
    kernel.printMessages(initcall.messages, kernel.boardValues())
    // The real initcall's time, unless its drivers' definitions say how long they take (a catalog
    // driver without curated behaviour says nothing: the boot keeps the real kernel's pace).
    const timed = builtIn.some((def) => def.init.us > 0 || def.probe.us > 0)
    if (!timed) kernel.spendUs(initcall.us)
    if (kernel.initcallDebug) {
      const usecs = Math.floor((kernel.clock.now - start) / NSEC_PER_USEC)
      kernel.printk('debug', `initcall ${symbol} returned 0 after ${usecs} usecs`)
    }
    kernel.trace.end(span, 'initcall', { fn: initcall.fn, level, ret: 0 })
  }
  runConfigInitcalls(kernel, level, pid)
}

/** Drivers by the initcall that registers them; several drivers may share one (module_init). */
const initcallIndex = new WeakMap<readonly DriverDefinition[], Map<string, DriverDefinition[]>>()
function driversByInitcallOf(
  drivers: readonly DriverDefinition[],
): Map<string, DriverDefinition[]> {
  let index = initcallIndex.get(drivers)
  if (!index) {
    index = new Map()
    for (const def of drivers) index.set(def.initcall, [...(index.get(def.initcall) ?? []), def])
    initcallIndex.set(drivers, index)
  }
  return index
}

function registerDriver(kernel: Kernel, def: DriverDefinition): void {
  kernel.spendUs(def.init.us)
  kernel.printMessages(def.init.messages, kernel.boardValues())
  kernel.core.registerDriver(def)
}

function runMechanism(kernel: Kernel, initcall: CoreInitcall): void {
  switch (initcall.mechanism) {
    case 'jiffies_clocksource':
      // init_jiffies_clocksource() (kernel/time/jiffies.c, core_initcall up to 6.1).
      kernel.timekeeping.registerJiffies(kernel.inputs.profile.hz)
      break
    case 'of_platform_populate':
      ofPlatformDefaultPopulateInit(kernel)
      break
    case 'clocksource_done_booting':
      kernel.timekeeping.doneBooting()
      break
    case 'deferred_probe': {
      kernel.core.deferredProbeInitcall()
      const timeout = kernel.deferredProbeTimeout
      if (timeout > 0)
        kernel.deferredProbeTimeoutWork = kernel.timers.add(
          kernel.clock.now + timeout * NSEC_PER_SEC,
          () => kernel.core.deferredProbeTimeout(),
        )
      break
    }
    default:
      break
  }
}
