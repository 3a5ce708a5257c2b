import type { DriverDefinition, Message } from '../catalog/driver-schema'
import type { ProbeEffect } from '../catalog/probe-effects-schema'
import type { KernelProfile } from '../catalog/kernel-profile-schema'
import type { BoardFacts } from '../hardware/board-facts'
import type { DeviceTree } from '../hardware/devicetree'
import { CmaAreas } from './cma'
import { NSEC_PER_SEC, NSEC_PER_USEC, VirtualClock } from './clock'
import { bootParams, type BootParams } from './boot-params'
import { parseCmdline, type Cmdline } from './cmdline'
import type { Device, ProbeOutcome } from './device'
import { DriverCore } from './driver-core'
import { driverCoreHost } from './driver-core-host'
import { boardValues, driverValues } from './message-values'
import { runEffects } from './effects'
import { FaultInjection, type Fault } from './fault-injection'
import { TimerList, type KernelTimer } from './timer-list'
import { UeventQueue } from './uevent'
import { NetDevices } from './net-devices'
import { Prng } from './prng'
import type { ReservedMem } from './of-reserved-mem'
import { DmaHeaps } from './subsys/dma-heap'
import { ResourceProviders } from './resources'
import { indexTree, interruptCount, type OfNode, type OfTree } from './of-tree'
import { ModuleLoader } from './module/loader'
import type { TaintLetter } from './module/taint'
import { logLevelOf, type LogLevel } from '../linux/log-levels'
import { LogBuffer } from './printk'
import { conditionHolds } from './subsys/printk'
import { renderTemplate, type TemplateValues } from './template'
import { Timekeeping } from './timekeeping'
import { callIntoFreedModule } from './oops'
import { TraceBuffer } from './trace'
import type { FreeableSymbol, FreeUnusedOutcome } from './free-unused'

export type { Fault } from './fault-injection'
export type { KernelTimer } from './timer-list'

export type { BoardFacts } from '../hardware/board-facts'

export interface KernelInputs {
  profile: KernelProfile
  tree: DeviceTree
  board: BoardFacts
  cmdline: string
  seed: number
  /** The RTC's time at power-on, seconds since the epoch. */
  powerOnEpoch: number
  /** The initramfs with /init, or null for none. */
  initramfs: { sizeK: number } | null
  faults: Fault[]
  /** The sizes and callers of the profile's `freeUnused` symbols, from real build records. */
  freeable?: FreeableSymbol[]
}

export type BootOutcome =
  | { kind: 'running'; detail: string }
  | { kind: 'panic'; detail: string }
  | { kind: 'hung'; detail: string }

export interface PhaseMark {
  phase: string
  seq: number
  ns: number
}

/** The simulated kernel's state; boot.ts drives it through start_kernel() and kernel_init(). */
export class Kernel implements BootParams {
  readonly clock = new VirtualClock()
  readonly cmdline: Cmdline
  readonly log: LogBuffer
  readonly timekeeping: Timekeeping
  readonly core: DriverCore
  readonly of: OfTree
  readonly phases: PhaseMark[] = []
  /** Every device's appearance and state change, stamped with the printk clock. */
  readonly deviceEvents: { ns: number; device: string; state: Device['state']; detail?: string }[] =
    []
  /** Initcalls, probes, deferrals and module loads as structured events: the boot timeline's. */
  readonly trace: TraceBuffer
  // Set from bootParams() in the constructor.
  declare readonly consoleLoglevel: number
  declare readonly ignoreLoglevel: boolean
  declare readonly initcallDebug: boolean
  declare readonly dynamicDebug: boolean
  declare readonly linksBlock: boolean
  declare readonly fwDevlinkStrict: boolean
  declare readonly deferredReasonInPending: boolean
  declare readonly deferredPendingLevel: 'info' | 'warning'
  declare readonly probeErrorsAsDevPrintk: boolean
  declare readonly deferredProbeTimeout: number
  outcome: BootOutcome = { kind: 'running', detail: '' }
  /** Nodes an of_declare driver initialised: they get no device and never block a consumer. */
  readonly initializedNodes = new Set<OfNode>()
  /** Nodes that already have a device (OF_POPULATED). */
  readonly populatedNodes = new Set<OfNode>()
  /** Nodes an MFD cell took (mfd-core.c's mfd_of_node_list). */
  readonly mfdNodes = new Set<OfNode>()
  /** Controllers' own struct devices, which no driver binds (`spmi-0` on the spmi bus). */
  readonly busControllers: { bus: string; name: string; parent: Device }[] = []
  /** Each ida's ids in use. */
  private readonly idas = new Map<string, Set<number>>()
  /** Nodes timer_probe() already initialised. */
  readonly timerNodes = new Set<OfNode>()
  /** Each `*_OF_DECLARE` driver whose init ran, with the first node it ran on. */
  readonly ofDeclared = new Map<DriverDefinition, OfNode>()
  /** What free_unused_builtin (the proposal, kernel/free-unused.ts) decided, once it ran. */
  freedUnused?: FreeUnusedOutcome[]
  readonly consoles: { name: string; device?: Device; onOpen: Message[] }[] = []
  /** Built-in drivers whose initcall already registered them. */
  readonly registeredDrivers = new Set<DriverDefinition>()
  /** The kernel's taint flags (add_taint). */
  readonly taints = new Set<TaintLetter>()
  /** The clock, reset, regulator, pinctrl... providers registered so far. */
  readonly providers: ResourceProviders
  /** kernel/module, when the build supports loadable modules. */
  readonly modules?: ModuleLoader
  private nextVirq = 1
  /** Delayed work: the deferred-probe timeout, what a command schedules. */
  readonly timers = new TimerList(this.clock, () => this.uevents.deliver())
  /** New devices' KOBJ_ADD uevents, for udevd once it listens. */
  readonly uevents = new UeventQueue()
  readonly net = new NetDevices()
  /** drivers/of/of_reserved_mem.c's reserved_mem[]: the tree's regions, as placed. */
  readonly reservedMem: ReservedMem[] = []
  readonly cma = new CmaAreas()
  readonly dmaHeaps = new DmaHeaps()
  readonly faults: FaultInjection
  /** Seeded variation of how long each piece of work takes; none with seed 0. */
  private readonly jitter?: Prng

  constructor(readonly inputs: KernelInputs) {
    const { profile } = inputs
    this.cmdline = parseCmdline(inputs.cmdline)
    if (inputs.seed !== 0) this.jitter = new Prng(inputs.seed)
    this.faults = new FaultInjection(inputs.faults, this.clock)
    this.of = indexTree(inputs.tree)
    this.providers = new ResourceProviders(this.of)
    // net_dev_init() registers the loopback device's pernet ops (net/core/dev.c:12501), which
    // create `lo` in init_net (drivers/net/loopback.c:234).
    if (profile.config.CONFIG_NET === 'y') this.net.register('lo')
    const tickNs = NSEC_PER_SEC / profile.hz
    const override = this.cmdline.params.get('clocksource')
    this.timekeeping = new Timekeeping(
      this.clock,
      () => this.log,
      typeof override === 'string' ? override : undefined,
      tickNs,
      inputs.board.cpus,
    )
    this.log = new LogBuffer(() => this.timekeeping.schedClockNs())
    this.trace = new TraceBuffer(
      () => this.timekeeping.schedClockNs(),
      () => this.clock.now,
      () => this.log.records.length,
    )
    Object.assign(this, bootParams(this.cmdline, profile))
    this.core = new DriverCore(driverCoreHost(this))
    if (profile.modulePolicy && profile.config.CONFIG_MODULES === 'y') {
      const loader = new ModuleLoader(this, profile.modulePolicy)
      this.modules = loader
      this.timekeeping.ownerRefs = {
        get: (owner) => loader.tryGet(owner),
        put: (owner) => loader.put(owner),
      }
    }
  }

  /** ida_alloc(): the lowest free id of the named ida. */
  idaAlloc(ida: string): number {
    const used = this.idas.get(ida) ?? new Set<number>()
    this.idas.set(ida, used)
    let id = 0
    while (used.has(id)) id++
    used.add(id)
    return id
  }

  /** ida_free(). */
  idaFree(ida: string, id: number): void {
    this.idas.get(ida)?.delete(id)
  }

  // ------------------------------------------------------------------ printk

  printk(level: Message['level'], text: string): void {
    this.log.printk(logLevelOf(level), text)
  }

  /** dev_printk(): `<driver or bus> <device>: text`. */
  devPrintk(level: Message['level'], device: Device, text: string): void {
    const owner = device.driver?.def.name ?? device.bus
    this.log.printk(logLevelOf(level), `${owner} ${device.name}: ${text}`, {
      subsystem: device.bus,
      name: device.name,
    })
  }

  devDbg(device: Device, text: string): void {
    if (this.dynamicDebug) this.devPrintk('debug', device, text)
  }

  prDebug(text: string): void {
    if (this.dynamicDebug) this.printk('debug', text)
  }

  /** Whether the console shows a record of this level (the buffer keeps everything). */
  onConsole(level: LogLevel): boolean {
    return this.ignoreLoglevel || level < this.consoleLoglevel
  }

  /** Prints template messages of a profile or driver, spending their time first. */
  printMessages(messages: readonly Message[], values: TemplateValues, device?: Device): void {
    for (const message of messages) {
      if (message.if !== undefined && !conditionHolds(this, message.if, values)) continue
      if (message.us) this.spendUs(message.us)
      const text = renderTemplate(message.text, values)
      if (message.dev && device) this.devPrintk(message.level, device, text)
      else this.printk(message.level, text)
    }
  }

  markPhase(phase: string): void {
    this.phases.push({ phase, seq: this.log.records.length, ns: this.clock.now })
  }

  boardValues(): TemplateValues {
    return boardValues(this)
  }

  /**
   * Time a piece of work takes (a boot step, an initcall, a probe): as recorded with seed 0; with
   * another seed within ±10% of it, drawn from the seed, as two boots of one board never print the
   * same timestamps. What depends on timing (a timer against a module load) can then differ.
   */
  spendUs(us: number): void {
    if (us <= 0) return
    const factor = this.jitter ? 0.9 + (0.2 * this.jitter.nextUint32()) / 0x1_0000_0000 : 1
    this.clock.advance(Math.round(us * NSEC_PER_USEC * factor))
  }

  // ------------------------------------------------------------------ timers

  /** The deferred-probe timeout's work, once deferred_probe_initcall() queued it. */
  deferredProbeTimeoutWork?: KernelTimer

  /** A timer module's exit: clocksource_unregister() of what its drivers registered. */
  moduleExit(name: string): void {
    this.timekeeping.clocksources.unregisterCode(name)
  }

  /** A module's text is freed: what still calls into it faults (oops.ts). */
  moduleTextFreed(name: string): void {
    callIntoFreedModule(this, name)
  }

  // ------------------------------------------------------------------ drivers

  driverValues(def: DriverDefinition, node: OfNode, device?: Device): TemplateValues {
    return driverValues(this, def, node, device)
  }

  /** irq_create_of_mapping(): the node's interrupts get the next free virqs, once. */
  /** Each node's interrupt mappings, found again when a device is created for it anew. */
  readonly nodeVirqs = new Map<OfNode, number[]>()

  mapInterrupts(count: number): number[] {
    const virqs: number[] = []
    for (let i = 0; i < count; i++) virqs.push(this.nextVirq++)
    return virqs
  }

  reserveVirqs(count: number): void {
    this.nextVirq += count
  }

  /** Runs a driver's init or probe effects; returns 0 or a negative errno, and the deferral reason. */
  runEffects(
    def: DriverDefinition,
    effects: readonly ProbeEffect[],
    values: TemplateValues,
    device?: Device,
  ): ProbeOutcome {
    return runEffects(this, def, effects, values, device)
  }

  interruptCountOf(node: OfNode): number {
    return interruptCount(this.of, node)
  }

  /** A driver is built in when its Kconfig symbol is `y` (a bool symbol set to `m` is refused earlier). */
  isBuiltIn(def: DriverDefinition): boolean {
    return this.inputs.profile.config[def.kconfig] === 'y'
  }
}
