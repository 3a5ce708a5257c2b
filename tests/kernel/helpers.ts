import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { loadKernelProfile } from '../../src-main/catalog/kernel-profiles'
import type { DeviceTree } from '../../src-main/hardware/devicetree'
import { readFdt } from '../../src-main/hardware/fdt'
import { bootKernel } from '../../src-main/kernel/boot'
import { formatText } from '../../src-main/kernel/dmesg-format'
import type { KernelProfile } from '../../src-main/catalog/kernel-profile-schema'
import type { Fault, Kernel } from '../../src-main/kernel/kernel'
import { machineInputs } from '../../src-main/sessions/boot-runner'

export const ROOT = join(__dirname, '..', '..')
export const kernelDir = (id: string) => join(ROOT, 'resources', 'kernels', id)
export const KERNEL_DIR = kernelDir('debian-6.1-arm64')
export const profile = loadKernelProfile(KERNEL_DIR)
export const virtTree = readFdt(
  new Uint8Array(readFileSync(join(ROOT, 'resources', 'profiles', 'qemu-virt', 'board.dtb'))),
)

export interface BootOptions {
  tree?: DeviceTree
  cmdline?: string
  faults?: Fault[]
  initramfs?: { sizeK: number } | null
}

export function boot(options: BootOptions = {}): Kernel {
  return bootProfile(profile, options)
}

/** Boots another kernel profile (by default on QEMU virt with `console=ttyAMA0`). */
export function bootProfile(kernelProfile: KernelProfile, options: BootOptions = {}): Kernel {
  const tree = options.tree ?? virtTree
  const inputs = machineInputs(kernelProfile, tree, {
    cmdline: options.cmdline ?? 'console=ttyAMA0',
    seed: 0,
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
