import type { Kernel } from './kernel'
import { propertyCells } from './of-tree'

function parseSize(text: string): number | undefined {
  const match = /^(\d+)([KMG]?)$/i.exec(text)
  if (!match) return undefined
  const unit = { '': 1, K: 1024, M: 1024 ** 2, G: 1024 ** 3 }[(match[2] ?? '').toUpperCase()] ?? 1
  return Number(match[1]) * unit
}

/** The default CMA area: a reusable `linux,cma-default` pool from the tree, else `cma=`, else the config size. */
export function reserveCma(kernel: Kernel): number {
  const { profile, board } = kernel.inputs
  if (profile.config.CONFIG_CMA !== 'y') return 0
  const reserved = kernel.of.root.children.find((node) => node.node.name === 'reserved-memory')
  const pool = reserved?.children.find(
    (node) =>
      node.compatible.includes('shared-dma-pool') &&
      node.node.properties.some((p) => p.name === 'linux,cma-default'),
  )
  const top = board.memory.start + board.memory.size
  const address = (size: number) => top - BigInt(profile.memory.cmaBelowTopK) * 1024n - BigInt(size)
  if (pool) {
    const sizeCells = propertyCells(pool, 'size')
    const size = sizeCells.reduce((sum, value) => sum * 2 ** 32 + value, 0)
    kernel.printk(
      'info',
      `Reserved memory: created CMA memory pool at 0x${address(size).toString(16).padStart(16, '0')}, size ${size / 1024 ** 2} MiB`,
    )
    return size / 1024
  }
  const param = kernel.cmdline.params.get('cma')
  const size =
    typeof param === 'string' ? (parseSize(param) ?? 0) : profile.memory.cmaDefaultMiB * 1024 ** 2
  if (size === 0) return 0
  kernel.printk(
    'info',
    `cma: Reserved ${size / 1024 ** 2} MiB at 0x${address(size).toString(16).padStart(16, '0')}`,
  )
  return size / 1024
}

/** mem_init_print_info(): the board's RAM against the image sections and reservations. */
export function printMemory(kernel: Kernel, cmaK: number): void {
  const { profile, board } = kernel.inputs
  const { textK, rwdataK, rodataK, initK, bssK } = profile.image
  const totalK = Number(board.memory.size / 1024n)
  const imageK = textK + rwdataK + rodataK + initK + bssK
  // The initramfs is reserved page-aligned until populate_rootfs frees it.
  const initrdReservedK = kernel.inputs.initramfs
    ? kernel.inputs.initramfs.sizeK + kernel.inputs.profile.pageSizeK
    : 0
  const reservedK = imageK + profile.memory.otherReservedK + initrdReservedK
  let availableK = totalK - reservedK - cmaK
  const section = profile.memory.deferredInitSectionK
  if (section !== undefined)
    availableK = Math.min(availableK, section - imageK - profile.memory.earlyAllocK)
  kernel.printk(
    'info',
    `Memory: ${availableK}K/${totalK}K available (${textK}K kernel code, ${rwdataK}K rwdata, ${rodataK}K rodata, ${initK}K init, ${bssK}K bss, ${reservedK}K reserved, ${cmaK}K cma-reserved)`,
  )
}
