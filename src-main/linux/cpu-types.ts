/**
 * The cores a cpu node's `compatible` names, as the kernel sees them: MIDR_EL1 (implementer and
 * part number as arch/arm64/include/asm/cputype.h lists them; the variant and revision are those
 * of the boards modlab ships, read from their real boot logs where one was found) and the L1
 * instruction cache policy CTR_EL0.L1Ip reports (arch/arm64/kernel/cpuinfo.c
 * cpuinfo_detect_icache_policy(), printed as `Detected <policy> I-cache on CPU<n>`).
 */
export interface CpuType {
  midr: number
  icache: 'VIPT' | 'PIPT'
}

export const CPU_TYPES: Readonly<Record<string, CpuType>> = {
  // r0p4: HiKey960's `Boot CPU: AArch64 Processor [410fd034]`.
  'arm,cortex-a53': { midr: 0x410fd034, icache: 'VIPT' },
  // r2p0: Pixel 6 (gs101) `Booting Linux on physical CPU 0x0000000000 [0x412fd050]`.
  'arm,cortex-a55': { midr: 0x412fd050, icache: 'VIPT' },
  // r1p0: QEMU's cortex-a57, the kernel profiles' reference logs.
  'arm,cortex-a57': { midr: 0x411fd070, icache: 'PIPT' },
  // r0p3: BCM2711, Raspberry Pi 4 `[0x410fd083]`.
  'arm,cortex-a72': { midr: 0x410fd083, icache: 'PIPT' },
  // r0p2 [unverified: no boot log of a HiKey960 or MT8183 big core found].
  'arm,cortex-a73': { midr: 0x410fd092, icache: 'PIPT' },
  // r2p0 [unverified].
  'arm,cortex-a75': { midr: 0x412fd0a0, icache: 'PIPT' },
  // r4p0: Pixel 6 CPU4 `[0x414fd0b0]`.
  'arm,cortex-a76': { midr: 0x414fd0b0, icache: 'PIPT' },
  // r1p0: Pixel 6 CPU6 `[0x411fd440]`.
  'arm,cortex-x1': { midr: 0x411fd440, icache: 'PIPT' },
  // Kryo 385 Silver (Cortex-A55 based); the Gold cores share the compatible and differ in MIDR
  // (0x516f802d), which a board profile records: Dragonboard 845c's log shows both, all VIPT.
  'qcom,kryo385': { midr: 0x517f803c, icache: 'VIPT' },
}

/** A core the table does not know is taken for the reference machine's (QEMU's cortex-a57). */
export const FALLBACK_CPU_TYPE: CpuType = { midr: 0x411fd070, icache: 'PIPT' }
