#!/usr/bin/env node
// Turns a real kernel's console log, booted with `initcall_debug ignore_loglevel`, into the core
// boot data of a kernel profile (boot.json): the messages of each start_kernel()/kernel_init()
// step, and every initcall in link order with its level, duration and what it printed.
//
// Lines the engine prints itself (banner, Machine model, command line, Memory, clocksource,
// sched_clock, probes, Freeing/Run /init) and lines printed inside driver or mechanism initcalls
// are left out: the simulation produces those from its mechanisms and driver definitions.
//
//   node scripts/import-boot-log.mjs DEBUG_LOG PLAIN_LOG KERNEL_DIR
//
// PLAIN_LOG is the same boot without initcall_debug: a line missing there was printed at KERN_DEBUG.
import { readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'

const [logPath, plainLogPath, kernelDir] = process.argv.slice(2)
if (!logPath || !plainLogPath || !kernelDir) {
  console.error('usage: node scripts/import-boot-log.mjs DEBUG_LOG PLAIN_LOG KERNEL_DIR')
  process.exit(2)
}
const stripStamp = (line) => line.replace(/^\[[ \d.]+\] ?/, '').replace(/\r$/, '')
// Digits are masked: counters and timestamps inside a line differ from one boot to the next.
const masked = (line) => line.replace(/\d+/g, '#')
const plainLines = new Set(
  readFileSync(plainLogPath, 'utf8').split('\n').map(stripStamp).map(masked),
)
const drivers = JSON.parse(readFileSync(join(kernelDir, 'drivers.json'), 'utf8'))
const driverInitcalls = new Set(drivers.map((driver) => driver.initcall))

// Initcalls whose work is a mechanism of the engine, by function name.
const MECHANISMS = {
  init_jiffies_clocksource: 'jiffies_clocksource',
  of_platform_default_populate_init: 'of_platform_populate',
  clocksource_done_booting: 'clocksource_done_booting',
  deferred_probe_initcall: 'deferred_probe',
}

// The first initcall of each level, in each kernel's link order: initcall_debug names no levels
// (do_initcall_level() only emits the initcall_level tracepoint), so they are read from the source
// (`grep -rE '(early|core|..)_initcall(_sync)?\(fn\)'`), by the profile's version (kernel.json).
const LEVEL_STARTS_BY_VERSION = {
  // linux-source-6.1: the file and line of each macro are in resources/kernels/debian-6.1-arm64/README.md.
  'v6.1': [
    ['con_init', 'console'],
    ['trace_init_flags_sys_enter', 'early'],
    ['bpf_jit_charge_init', 'pure'],
    ['fpsimd_init', 'core'],
    ['__gnttab_init', 'core_sync'],
    ['debug_monitors_init', 'postcore'],
    ['reserve_memblock_reserved_regions', 'arch'],
    ['of_platform_default_populate_init', 'arch_sync'],
    ['topology_init', 'subsys'],
    ['init_32bit_el0_mask', 'subsys_sync'],
    ['create_debug_debugfs_entry', 'fs'],
    ['pci_apply_final_quirks', 'fs_sync'],
    ['populate_rootfs', 'rootfs'],
    ['register_arm64_panic_block', 'device'],
    ['kernel_do_mounts_initrd_sysctls_init', 'late'],
    ['software_resume', 'late_sync'],
  ],
  // linux-source-6.12: the file and line of each macro are in resources/kernels/debian-6.12-arm64/README.md.
  'v6.12': [
    ['con_init', 'console'],
    ['trace_init_flags_sys_enter', 'early'],
    ['bpf_jit_charge_init', 'pure'],
    ['fpsimd_init', 'core'],
    ['__gnttab_init', 'core_sync'],
    ['debug_monitors_init', 'postcore'],
    ['reserve_memblock_reserved_regions', 'arch'],
    ['of_platform_default_populate_init', 'arch_sync'],
    ['register_mte_tcf_preferred_sysctl', 'subsys'],
    ['init_32bit_el0_mask', 'subsys_sync'],
    ['create_debug_debugfs_entry', 'fs'],
    ['pci_apply_final_quirks', 'fs_sync'],
    ['populate_rootfs', 'rootfs'],
    ['register_arm64_panic_block', 'device'],
    ['check_mmu_enabled_at_boot', 'device_sync'],
    ['kernel_do_mounts_initrd_sysctls_init', 'late'],
    ['software_resume_initcall', 'late_sync'],
  ],
}
const { version } = JSON.parse(readFileSync(join(kernelDir, 'kernel.json'), 'utf8'))
const LEVEL_STARTS = LEVEL_STARTS_BY_VERSION[`v${version.join('.')}`]
if (!LEVEL_STARTS) {
  console.error(
    `no initcall level starts for version ${version.join('.')}: add them from its source`,
  )
  process.exit(2)
}

// Where the engine prints its own lines, in boot order: each opens the step that follows it.
// The Memory line opens `beforeInitIrq` wherever it is printed: in mem_init() before 6.11 (so the
// step runs up to init_IRQ), in page_alloc_init_late() from 6.11 (the step is what kernel_init_freeable
// prints after it, before the first pure initcall; what mm_core_init printed stays in `beforeMemory`).
const STEP_ANCHORS = [
  [/^Linux version /, 'beforeMachineModel'],
  [/^Machine model: /, 'setupArch'],
  [/^cma: Reserved /, 'afterCma'],
  [/^Kernel command line: /, 'beforeMemory'],
  [/^Memory: /, 'beforeInitIrq'],
  [/^Root IRQ handler: |^GICv3: (?!CPU[1-9])|^ITS/, 'beforeTimeInit'],
  [/^arch_timer: |^sched_clock: /, 'afterTimeInit'],
  [/^calling {2}con_init\b/, 'afterConsole'],
  [/^smp: Bringing up secondary CPUs/, 'smpStart'],
  [/^Freeing unused kernel memory: /, 'afterFreeInit'],
]

// Lines the engine or a driver definition produces.
const ENGINE_LINES = [
  /^Linux version /,
  /^printk: debug: ignoring loglevel/,
  /^Machine model: /,
  /^cma: Reserved /,
  /^Kernel command line: /,
  /^Memory: /,
  /^clocksource: /,
  /^sched_clock: /,
  /^arch_timer: /,
  /^Root IRQ handler: /,
  /^GICv3: /,
  /^ITS/,
  /^probe of .* returned /,
  /^printk: (legacy )?console \[/,
  /^Freeing unused kernel memory: /,
  /^Run \/init as init process/,
  /^uart-pl011 /,
  /^reboot: /,
  /^Detected PIPT I-cache on CPU[1-9]/,
  /^CPU[1-9]\d*: Booted secondary processor/,
]

const steps = {}
let step = 'start'
const initcalls = []
let current
let level = 'console'
let smpCpuLines = []

function stepMessages(name) {
  steps[name] ??= { us: 0, messages: [] }
  return steps[name].messages
}

// populate_rootfs unpacks asynchronously; its line lands inside whatever initcall runs then.
const ASYNC_LINES = [[/^Trying to unpack rootfs image as initramfs/, 'populate_rootfs']]
const asyncMessages = []

let previousUs = 0
const lines = readFileSync(logPath, 'utf8').split('\n')
for (const raw of lines) {
  const stamp = /^\[ *(\d+)\.(\d{6})\]/.exec(raw)
  const nowUs = stamp ? Number(stamp[1]) * 1e6 + Number(stamp[2]) : previousUs
  const deltaUs = Math.max(0, nowUs - previousUs)
  previousUs = nowUs
  const line = stripStamp(raw)
  // What follows is init's doing (run_init_process prints its arguments itself).
  if (/^Run \/init as init process/.test(line)) break
  const async = ASYNC_LINES.find(([pattern]) => pattern.test(line))
  if (async) {
    asyncMessages.push([async[1], { text: line }])
    continue
  }
  for (const [pattern, next] of STEP_ANCHORS) if (pattern.test(line)) step = next
  // `calling  fn+0x0/0x60 @ 1`; PCI fixups print the same with ` for <device>` and are no initcalls.
  const calling = /^calling {2}(\w+)\+0x0\/0x([0-9a-f]+) @ \d+$/.exec(line)
  if (calling) {
    const fn = calling[1]
    for (const [first, name] of LEVEL_STARTS) if (fn === first) level = name
    current = { fn, level, size: parseInt(calling[2], 16), us: 0, messages: [] }
    if (MECHANISMS[fn]) current.mechanism = MECHANISMS[fn]
    else if (driverInitcalls.has(fn)) current.mechanism = 'driver'
    continue
  }
  const returned = /^initcall (\w+)\+\S+ returned (-?\d+) after (\d+) usecs/.exec(line)
  if (returned && current) {
    current.us = Number(returned[3])
    initcalls.push(current)
    current = undefined
    continue
  }
  if (line.trim() === '' || ENGINE_LINES.some((pattern) => pattern.test(line))) {
    if (/^CPU[1-9]\d*: Booted secondary processor|^Detected PIPT I-cache on CPU[1-9]/.test(line))
      smpCpuLines.push(line)
    continue
  }
  const message = { text: line }
  if (!plainLines.has(masked(line))) message.level = 'debug'
  if (!current && deltaUs > 0) message.us = deltaUs
  if (current) {
    if (!current.mechanism) current.messages.push(message)
  } else {
    stepMessages(step === 'smpStart' && smpCpuLines.length > 0 ? 'smpDone' : step).push(message)
  }
}

for (const [fn, message] of asyncMessages)
  initcalls.find((initcall) => initcall.fn === fn)?.messages.push(message)

// One secondary CPU's lines, as a template for every secondary CPU.
const cpu1 = smpCpuLines.filter((line) => /CPU1\b|0x0000000001/.test(line))
stepMessages('secondaryCpu').push(
  ...cpu1.map((line) => ({
    text: line
      .replace(/CPU1\b/g, 'CPU{cpu}')
      .replace(/0x0000000001 \[0x[0-9a-f]{8}\]/, '0x{cpu.mpidr:hex10} [0x{cpu.midr:hex8}]')
      .replace(/Detected [A-Z]+ I-cache/, 'Detected {cpu.icache} I-cache'),
  })),
)
for (const name of [
  'beforeMachineModel',
  'setupArch',
  'afterCma',
  'beforeMemory',
  'beforeInitIrq',
  'beforeTimeInit',
  'afterTimeInit',
  'afterConsole',
  'smpStart',
  'secondaryCpu',
  'smpDone',
  'afterInitcalls',
  'afterFreeInit',
]) {
  stepMessages(name)
}
// Lines that hold only on some boards carry the condition the kernel tests (kernel/smp.ts).
const CONDITIONS = [
  // has_useable_gicv3_cpuif() (arch/arm64/kernel/cpufeature.c): a GICv3 CPU interface.
  [/^CPU features: detected: GIC system register CPU interface$/, 'cpuif.sysreg'],
  // The boot CPU's errata and Spectre capabilities, by its core (src-main/linux/cpu-errata.ts).
  [
    /^CPU features: detected: (Spectre-v2|Spectre-v3a|Spectre-v4|Spectre-BHB|ARM errat(?:um|a) [\d, or]+)$/,
    (text) => `cpucap:${text.replace('CPU features: detected: ', '')}`,
  ],
  // fdt_scan_reserved_mem() (drivers/of/of_reserved_mem.c:253): a tree without /reserved-memory.
  [/^OF: reserved mem: Reserved memory: No reserved-memory node in the DT$/, 'of.noReservedMemory'],
  // its_fsl_mc_msi_init() walks the tree's ITS nodes (drivers/irqchip/irq-gic-v3-its-fsl-mc-msi.c).
  [/^fsl-mc MSI: its@/, 'compatible:arm,gic-v3-its'],
  // kvm_arm_init() (arch/arm64/kvm/arm.c): no hyp mode when firmware entered the kernel at EL1.
  [/^kvm \[1\]: HYP mode not available$/, 'el.1'],
  // QEMU's virtio-net on its ECAM host bridge; PCI enumeration is not simulated elsewhere.
  [/^virtio-pci 0000:00:01\.0: /, 'compatible:pci-host-ecam-generic'],
]
for (const message of [
  ...Object.values(steps).flatMap((step) => step.messages),
  ...initcalls.flatMap((initcall) => initcall.messages),
])
  for (const [pattern, condition] of CONDITIONS)
    if (pattern.test(message.text))
      message.if = typeof condition === 'function' ? condition(message.text) : condition
// Board-dependent values in core lines become template fields.
const templated = JSON.stringify({ steps, initcalls }, null, 1)
  .replace(/0x0000000040000000-0x00000000bfffffff/g, '0x{mem.start:hex16}-0x{mem.end:hex16}')
  .replace(/Freeing initrd memory: \d+K/g, 'Freeing initrd memory: {initrdK}K')
  .replace(/Brought up 1 node, 4 CPUs/g, 'Brought up 1 node, {cpus} CPUs')
  .replace(/Total of 4 processors activated/g, 'Total of {cpus} processors activated')
  .replace(/nr_cpu_ids=4/g, 'nr_cpu_ids={cpus}')
  .replace(/CPUs=4,/g, 'CPUs={cpus},')
  .replace(/rcu_task_cpu_ids=4/g, 'rcu_task_cpu_ids={cpus}')
  // The boot CPU and the firmware's settings (kernel/smp.ts, kernel/calibrate.ts): each board's own.
  .replace(
    /Booting Linux on physical CPU 0x0000000000 \[0x[0-9a-f]{8}\]/,
    'Booting Linux on physical CPU 0x{cpu0.mpidr:hex10} [0x{cpu0.midr:hex8}]',
  )
  .replace(/Detected [A-Z]+ I-cache on CPU0"/, 'Detected {cpu0.icache} I-cache on CPU0"')
  .replace(/\d+\.\d\d BogoMIPS \(lpj=\d+\)/, '{bogomips} BogoMIPS (lpj={lpj})')
  .replace(/CPU\(s\) started at EL\d/, 'CPU(s) started at EL{el}')
  .replace(/pcpu-alloc: \[0\] 0 \[0\] 1 \[0\] 2 \[0\] 3 "/, 'pcpu-alloc: {pcpu.units}"')
  // The zones of the board's memory map (kernel/mm-zones.ts).
  .replace(/" {2}(DMA|DMA32|Normal)( +)(\[mem [^\]]+\]|empty)"/g, '"  $1$2{zone.$1}"')
  .replace(/Policy zone: \w+"/, 'Policy zone: {zone.policy}"')
  .replace(/Total pages: 524288"/, 'Total pages: {mem.pages}"')
  // dma_atomic_pool_init() (kernel/dma/pool.c:196): 128 KiB a GiB of RAM (kernel/mm-zones.ts).
  .replace(/DMA: preallocated \d+ KiB/g, 'DMA: preallocated {dma.atomicK} KiB')
writeFileSync(join(kernelDir, 'boot.json'), templated + '\n')
const printing = initcalls.filter((initcall) => initcall.messages.length > 0).length
console.log(
  `${initcalls.length} initcalls (${printing} print), ${Object.values(steps).reduce((n, s) => n + s.messages.length, 0)} step messages`,
)
