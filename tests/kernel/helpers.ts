import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { loadKernelProfile } from '../../src-main/catalog/kernel-profiles'
import type { DeviceTree } from '../../src-main/hardware/devicetree'
import { readFdt } from '../../src-main/hardware/fdt'
import { bootKernel } from '../../src-main/kernel/boot'
import { formatText } from '../../src-main/kernel/dmesg-format'
import type { Fault, Kernel } from '../../src-main/kernel/kernel'
import { machineInputs } from '../../src-main/sessions/boot-runner'

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
  const inputs = machineInputs(profile, tree, {
    cmdline: options.cmdline ?? 'console=ttyAMA0',
    seed: 1,
    faults: options.faults,
  })
  if (options.initramfs !== undefined) inputs.initramfs = options.initramfs
  return bootKernel(inputs)
}

/** What the console showed, as text lines. */
export function consoleLines(kernel: Kernel): string[] {
  return kernel.log.records.filter((record) => kernel.onConsole(record.level)).map(formatText)
}

export const stripTimestamp = (line: string) => line.replace(/^\[[ \d.]+\] /, '')
