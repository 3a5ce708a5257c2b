import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { loadKernelProfile } from '../../src-main/catalog/kernel-profiles'
import { bootProfile, consoleLines, kernelDir, stripTimestamp, type BootOptions } from './helpers'

/**
 * The simulated boot of QEMU virt against a real Debian kernel's console on the same board
 * (`reference/qemu-virt.log` of each profile). Every difference is named here with its reason;
 * nothing else may differ.
 */
interface Simplification {
  pattern: RegExp
  why: string
}

/** Differences of every kernel: what the simulation leaves out or cannot know. */
const COMMON: Simplification[] = [
  {
    pattern: /^GICv3: CPU[1-9]\d*: /,
    why: 'the GIC redistributor lines of secondary CPUs are not simulated',
  },
  {
    pattern:
      /^(pci-host-generic \S+: {2,}|pci-host-generic \S+: (Memory|ECAM|PCI host)|pci_bus |pci \d)/,
    why: 'PCI host bridge windows and PCI bus enumeration are not simulated',
  },
  {
    pattern: /^rtc-pl031 \S+: setting system clock to /,
    why: 'the RTC reads the session power-on time, not the host clock',
  },
  {
    pattern: /^audit: type=2000 audit\(/,
    why: 'the audit record carries the wall time of that boot',
  },
  { pattern: /^node 0 deferred pages initialised in \d+ms/, why: 'timing of the real run' },
  {
    pattern: /^Freeing initrd memory: /,
    why: 'initramfs unpacking is asynchronous; its line lands wherever the unpacking ends',
  },
]

interface Reference {
  id: string
  known: Simplification[]
  /** Values that differ from one real boot of the same kernel to the next: masked on both sides. */
  varies?: { pattern: RegExp; mask: string; why: string }[]
  /**
   * Initcalls the simulation runs that the image does not have: built-in catalog drivers whose
   * `initcall` names no initcall of the real boot run at the end of their level.
   */
  notInImage?: { fn: string; why: string }[]
  /** The initramfs of the recording, when it is not the simulated machine's. */
  boot?: BootOptions
  devices: number
}

const REFERENCES: Reference[] = [
  {
    id: 'debian-6.1-arm64',
    known: COMMON,
    devices: 43,
  },
  {
    id: 'debian-6.12-arm64',
    known: [
      ...COMMON,
      {
        pattern: /^Trying to unpack rootfs image as initramfs\.\.\./,
        why: 'do_populate_rootfs() runs asynchronously (async_schedule_domain); in 6.12 its first line lands before or after the next initcalls depending on the run',
      },
    ],
    varies: [
      {
        pattern: /^Memory: \d+K\//,
        mask: 'Memory: <free>K/',
        why: 'from 6.11 the Memory line counts nr_free_pages() after deferred page init, in kernel_init_freeable(), when kthreads and secondary CPUs have allocated a varying amount (1938008K, 1937992K, 1937896K, 1937880K in four real boots)',
      },
    ],
    // reference/README.md: the recording's initramfs is 960K (the simulated machine's is 964K).
    boot: { initramfs: { sizeK: 960 } },
    notInImage: [
      {
        fn: 'qcom_smmu_tbu_driver_init',
        why: 'qcom_tbu is registered by arm_smmu_init() through qcom_smmu_module_init() (drivers/iommu/arm/arm-smmu/arm-smmu-qcom.c), not by an initcall of its own; the source scan names one',
      },
    ],
    devices: 43,
  },
]

function realLines(id: string, file: string): string[] {
  return readFileSync(join(kernelDir(id), 'reference', file), 'utf8')
    .replace(/\r/g, '')
    .split('\n')
    .filter((line) => line.startsWith('['))
    .map(stripTimestamp)
    .filter((line) => !/^reboot: /.test(line))
}

for (const reference of REFERENCES) {
  const { id, known: simplifications, varies = [] } = reference
  const known = (line: string) => simplifications.some(({ pattern }) => pattern.test(line))
  const mask = (line: string) =>
    varies.reduce((text, { pattern, mask: by }) => text.replace(pattern, by), line)
  const compared = (lines: string[]) => lines.filter((line) => !known(line)).map(mask)

  describe(`QEMU virt on ${id} against the real boot log`, () => {
    const profile = loadKernelProfile(kernelDir(id))
    const boot = (options: BootOptions = {}) =>
      bootProfile(profile, { ...reference.boot, ...options })
    const real = realLines(id, 'qemu-virt.log')
    const simulated = consoleLines(boot()).map(stripTimestamp)

    it('prints the same lines in the same order, but for the named simplifications', () => {
      expect(compared(simulated)).toEqual(compared(real))
    })

    it('names only simplifications and variations that the real log actually shows', () => {
      for (const { pattern, why } of [...simplifications, ...varies])
        expect(
          real.some((line) => pattern.test(line)),
          why,
        ).toBe(true)
    })

    it('shows with quiet what the real kernel shows with quiet: nothing below KERN_WARNING', () => {
      const quiet = consoleLines(boot({ cmdline: 'console=ttyAMA0 quiet' })).map(stripTimestamp)
      expect(quiet).toEqual(realLines(id, 'qemu-virt-quiet.log'))
    })

    it('runs the initcalls the real kernel runs, in its order and from the same process', () => {
      // `calling  fn+0x0/0x<size> @ <pid>`: pid 0 for console_init(), 1 for kernel_init's levels.
      const calls = (lines: string[]) =>
        lines
          .map((line) => /^calling {2}(\w+)\+\S+ @ (\d+)$/.exec(line))
          .flatMap((m) => (m ? [`${m[1]} @ ${m[2]}`] : []))
      const debug = consoleLines(
        boot({ cmdline: 'console=ttyAMA0 initcall_debug ignore_loglevel' }),
      )
      const invented = new Set((reference.notInImage ?? []).map(({ fn }) => `${fn} @ 1`))
      const simulated = calls(debug.map(stripTimestamp)).filter((call) => !invented.has(call))
      expect(simulated).toEqual(calls(realLines(id, 'qemu-virt-initcall_debug.log')))
    })

    it('creates the platform and AMBA devices the real kernel creates, in its order', () => {
      // At power-off the real kernel shut its devices down in reverse creation order.
      const shutdown = readFileSync(
        join(kernelDir(id), 'reference', 'qemu-virt-initcall_debug.log'),
        'utf8',
      )
        .replace(/\r/g, '')
        .split('\n')
        .map(stripTimestamp)
        .map((line) => /^\S+ (\S+): shutdown$/.exec(line)?.[1])
        .filter((name): name is string => name !== undefined)
        .reverse()
      const created = boot().core.devices.map((device) => device.name)
      const realOrder = shutdown.filter((name) => created.includes(name))
      expect(created.filter((name) => shutdown.includes(name))).toEqual(realOrder)
      expect(created.filter((name) => !shutdown.includes(name))).toEqual([])
      expect(created).toHaveLength(reference.devices)
    })
  })
}
