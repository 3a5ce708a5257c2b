import type { BoardFacts } from '../hardware/board-facts'
import { CPU_CAPABILITIES } from '../linux/cpu-errata'
import { CPU_TYPES, FALLBACK_CPU_TYPE } from '../linux/cpu-types'
import { zoneValues } from './mm-zones'
import type { TemplateValues } from './template'

/** What the boot CPU's and each secondary's lines print: MPIDR, MIDR and I-cache policy. */
export interface CpuFacts {
  mpidr: bigint
  midr: number
  icache: string
}

/**
 * Logical CPU `cpu`: the cpu node of that order (of_parse_and_init_cpus(), arch/arm64/kernel/
 * smp.c, numbers them in tree order after the boot CPU), its MIDR from the firmware record when the
 * profile has one, else from the core type its `compatible` names.
 */
export function cpuFacts(board: BoardFacts, cpu: number): CpuFacts {
  const node = board.cpuNodes[cpu]
  const type =
    node?.compatible.map((compatible) => CPU_TYPES[compatible]).find(Boolean) ?? FALLBACK_CPU_TYPE
  const recorded = board.firmware?.midr?.[cpu]
  return {
    mpidr: node?.mpidr ?? BigInt(cpu),
    midr: recorded !== undefined ? Number(recorded) : type.midr,
    icache: type.icache,
  }
}

/** A secondary CPU's template values (`{cpu.mpidr:hex10}`...), with `{cpu}` its number. */
export function secondaryCpuValues(board: BoardFacts, cpu: number): TemplateValues {
  const facts = cpuFacts(board, cpu)
  return { cpu, 'cpu.mpidr': facts.mpidr, 'cpu.midr': facts.midr, 'cpu.icache': facts.icache }
}

/**
 * The board's arch values every core boot line may use: the boot CPU, the exception level the
 * firmware entered the kernel at (`CPU: All CPU(s) started at EL<n>`; a board that does not say
 * enters at EL1, as QEMU's virt does without virtualization=on), the counter frequency it wrote
 * to CNTFRQ_EL0, and the per-CPU allocator's unit map.
 */
export function archValues(board: BoardFacts): TemplateValues {
  let values = archValuesOf.get(board)
  if (!values) {
    values = computeArchValues(board)
    archValuesOf.set(board, values)
  }
  return values
}

/** Worked out once a boot: boardValues() asks for them on every line printed. */
const archValuesOf = new WeakMap<BoardFacts, TemplateValues>()

function computeArchValues(board: BoardFacts): TemplateValues {
  const boot = cpuFacts(board, 0)
  return {
    el: board.firmware?.bootEL ?? 1,
    'el.1': (board.firmware?.bootEL ?? 1) === 1 ? 1 : 0,
    'of.noReservedMemory': board.reservedMemory ? 0 : 1,
    cntfrq: board.firmware?.cntfrqHz,
    cnttidr: board.firmware?.cnttidr === undefined ? undefined : Number(board.firmware.cnttidr),
    'cpu0.mpidr': boot.mpidr,
    'cpu0.midr': boot.midr,
    'cpu0.icache': boot.icache,
    'pcpu.units': pcpuUnits(board.cpus),
    'cpuif.sysreg': board.gicCpuifSysregs ? 1 : 0,
    'gic.spis': board.firmware?.gic?.spis,
    'gic.ds': board.firmware?.gic?.ds,
    'gic.fiq': board.firmware?.gic?.fiq,
    ...zoneValues(board),
  }
}

/**
 * pcpu_dump_alloc_info() (mm/percpu.c) for one group with one unit per allocation, as an embedded
 * first chunk on a single-node arm64 board has: `[0] 0 [0] 1 ...`, each CPU number padded to the
 * width of the highest, 16 allocations to a line at most [the line break is the kernel's
 * `apl = rounddown_pow_of_two(max(60 / width, 1))`; only one line is printed here].
 */
export function pcpuUnits(cpus: number): string {
  const width = String(cpus - 1).length
  let line = ''
  for (let cpu = 0; cpu < cpus; cpu++) line += `[0] ${String(cpu).padStart(width, '0')} `
  return line
}

/**
 * The capabilities of linux/cpu-errata.ts a secondary CPU brings that no CPU before it had:
 * check_local_cpu_capabilities() (arch/arm64/kernel/smp.c:234, before cpuinfo_store_cpu()'s
 * I-cache line) prints each as `CPU features: detected: <desc>`, in capability order.
 */
export function newCpuCapabilities(board: BoardFacts, cpu: number): string[] {
  const has = (midr: number) =>
    Object.entries(CPU_CAPABILITIES)
      .filter(([, matches]) => matches(midr))
      .map(([desc]) => desc)
  const before = new Set<string>()
  for (let earlier = 0; earlier < cpu; earlier++)
    for (const desc of has(cpuFacts(board, earlier).midr)) before.add(desc)
  return has(cpuFacts(board, cpu).midr).filter((desc) => !before.has(desc))
}
