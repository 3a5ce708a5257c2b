/**
 * Which cores a CPU capability of arch/arm64/kernel/cpu_errata.c and proton-pack.c is detected on,
 * by MIDR (the boot CPU's are printed in setup_arch as `CPU features: detected: <desc>`). Firmware
 * answers (SMCCC_ARCH_WORKAROUND_*) that could clear a Spectre entry are not simulated.
 */
type Match = (midr: number) => boolean

const part = (midr: number) => (midr >> 4) & 0xfff
const implementer = (midr: number) => midr >>> 24
/** variant and revision as one number, rXpY as 0xXY, for MIDR_RANGE comparisons. */
const revision = (midr: number) => (((midr >> 20) & 0xf) << 4) | (midr & 0xf)

const arm = (...parts: number[]): Match => {
  return (midr) => implementer(midr) === 0x41 && parts.includes(part(midr))
}
const qcom = (...parts: number[]): Match => {
  return (midr) => implementer(midr) === 0x51 && parts.includes(part(midr))
}
const range = (match: Match, from: number, to: number): Match => {
  return (midr) => match(midr) && revision(midr) >= from && revision(midr) <= to
}
const any = (...matches: Match[]): Match => {
  return (midr) => matches.some((match) => match(midr))
}

const A35 = 0xd04
const A53 = 0xd03
const A55 = 0xd05
const A57 = 0xd07
const A72 = 0xd08
const A76 = 0xd0b
const A77 = 0xd0d
const A78 = 0xd41
const X1 = 0xd44
/** Kryo 2xx/3xx/4xx Silver (Qualcomm parts 0x801, 0x803, 0x805). */
const KRYO_SILVER = qcom(0x801, 0x803, 0x805)

/** Kryo 3xx Gold (Qualcomm part 0x802), whose Spectre-v4/BHB state the firmware reports. */
const KRYO_3XX_GOLD = qcom(0x802)

/** Cores with ID_AA64PFR0_EL1.CSV2, which spectre_v2 hardware state takes as unaffected. */
const CSV2 = arm(A76, A77, A78, X1)

export const CPU_CAPABILITIES: Readonly<Record<string, Match>> = {
  // proton-pack.c:157 spectre_v2_safe_list, and CSV2.
  'Spectre-v2': (midr) => !any(arm(A35, A53, A55), KRYO_SILVER, CSV2)(midr),
  // cpu_errata.c has_spectre_v3a(): Cortex-A57 and A72.
  'Spectre-v3a': arm(A57, A72),
  // proton-pack.c:468 spectre_v4_safe_list (SSBS cores still report it: mitigated, not unaffected);
  // on Kryo 3xx Gold the firmware's SMCCC answer decides, and a real db845c prints neither v4 nor
  // BHB for it, so it is taken as unaffected.
  'Spectre-v4': (midr) => !any(arm(A35, A53, A55), qcom(0x803, 0x805), KRYO_3XX_GOLD)(midr),
  // proton-pack.c:851 spectre_bhb_safe_list, and Kryo 3xx Gold as above.
  'Spectre-BHB': (midr) => !any(arm(A35, A53, A55), KRYO_SILVER, KRYO_3XX_GOLD)(midr),
  // cpu_errata.c:534, Cortex-A57 r0p0 - r1p2.
  'ARM erratum 834220': range(arm(A57), 0x00, 0x12),
  // cpu_errata.c:458, broken_aarch32_aes: Cortex-A57 r0p1 on, every Cortex-A72.
  'ARM erratum 1742098': any(range(arm(A57), 0x01, 0xff), arm(A72)),
  // cpu_errata.c:524, Cortex-A57 r0p0 - r1p2.
  'ARM erratum 832075': range(arm(A57), 0x00, 0x12),
  // cpu_errata.c:387 erratum_speculative_at_list: A76 r0p0-r2p0, every A57 and A72, A55 r0p0-r2p0.
  'ARM errata 1165522, 1319367, or 1530923': any(
    range(arm(A76), 0x00, 0x20),
    arm(A57, A72),
    range(arm(A55), 0x00, 0x20),
  ),
}
