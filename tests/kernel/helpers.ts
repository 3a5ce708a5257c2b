import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { loadKernelProfile } from '../../src-main/catalog/kernel-profiles'
import { boardFacts } from '../../src-main/hardware/board-facts'
import type { DeviceTree } from '../../src-main/hardware/devicetree'
import { readFdt } from '../../src-main/hardware/fdt'
import { bootKernel } from '../../src-main/kernel/boot'
import { formatText } from '../../src-main/kernel/dmesg-format'
import type { Fault, Kernel } from '../../src-main/kernel/kernel'

export const ROOT = join(__dirname, '..', '..')
export const KERNEL_DIR = join(ROOT, 'resources', 'kernels', 'debian-6.1-arm64')
export const profile = loadKernelProfile(KERNEL_DIR)
export const virtTree = readFdt(
  new Uint8Array(readFileSync(join(ROOT, 'resources', 'profiles', 'qemu-virt', 'board.dtb'))),
)

export function boot(
  options: {
    tree?: DeviceTree
    cmdline?: string
    faults?: Fault[]
    initramfs?: { sizeK: number } | null
  } = {},
): Kernel {
  const tree = options.tree ?? virtTree
  return bootKernel({
    profile,
    tree,
    board: boardFacts(tree),
    cmdline: options.cmdline ?? 'console=ttyAMA0',
    seed: 1,
    powerOnEpoch: 1767225600,
    initramfs: options.initramfs === undefined ? { sizeK: 964 } : options.initramfs,
    faults: options.faults ?? [],
  })
}

/** What the console showed, as text lines. */
export function consoleLines(kernel: Kernel): string[] {
  return kernel.log.records.filter((record) => kernel.onConsole(record.level)).map(formatText)
}

export const stripTimestamp = (line: string) => line.replace(/^\[[ \d.]+\] /, '')
