import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { boot, consoleLines, KERNEL_DIR, stripTimestamp } from './helpers'

/**
 * The simulated boot of QEMU virt against the real Debian 6.1 kernel's console on the same board
 * (reference/qemu-virt.log). Every difference is named here with its reason; nothing else may differ.
 */
const KNOWN_SIMPLIFICATIONS: { pattern: RegExp; why: string }[] = [
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

const known = (line: string) => KNOWN_SIMPLIFICATIONS.some(({ pattern }) => pattern.test(line))

function realLines(file: string): string[] {
  return readFileSync(join(KERNEL_DIR, 'reference', file), 'utf8')
    .replace(/\r/g, '')
    .split('\n')
    .filter((line) => line.startsWith('['))
    .map(stripTimestamp)
    .filter((line) => !/^reboot: /.test(line))
}

describe('QEMU virt on Debian 6.1 against the real boot log', () => {
  const real = realLines('qemu-virt.log')
  const simulated = consoleLines(boot()).map(stripTimestamp)

  it('prints the same lines in the same order, but for the named simplifications', () => {
    expect(simulated.filter((line) => !known(line))).toEqual(real.filter((line) => !known(line)))
  })

  it('names only simplifications that the real log actually shows', () => {
    for (const { pattern, why } of KNOWN_SIMPLIFICATIONS)
      expect(
        real.some((line) => pattern.test(line)),
        why,
      ).toBe(true)
  })

  it('shows with quiet what the real kernel shows with quiet: nothing below KERN_WARNING', () => {
    const quiet = consoleLines(boot({ cmdline: 'console=ttyAMA0 quiet' })).map(stripTimestamp)
    const realQuiet = realLines('qemu-virt-quiet.log')
    expect(quiet).toEqual(realQuiet)
  })

  it('creates the platform and AMBA devices the real kernel creates, in its order', () => {
    // At power-off the real kernel shut its devices down in reverse creation order.
    const shutdown = readFileSync(
      join(KERNEL_DIR, 'reference', 'qemu-virt-initcall_debug.log'),
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
    expect(created).toHaveLength(43)
  })
})
