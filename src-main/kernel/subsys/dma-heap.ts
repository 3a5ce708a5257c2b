import type { HeapsAtInit } from '../../catalog/module-schema'
import { ERRNO } from '../../linux/errno'
import type { Kernel } from '../kernel'
import { dir, file, type FileNode } from '../kernfs/pseudo-file'

/** NUM_HEAP_MINORS (drivers/dma-buf/dma-heap.c:23). */
const NUM_HEAP_MINORS = 128

/** struct dma_heap (drivers/dma-buf/dma-heap.c:36): a named heap and its char device's minor. */
export interface DmaHeap {
  name: string
  minor: number
  /** The module whose init added it; none when built in. */
  module?: string
}

/** drivers/dma-buf/dma-heap.c: heap_list, the `dma_heap` class and its minors. */
export class DmaHeaps {
  /** dma_heap_init() ran: the chrdev region and the class exist. */
  initialised = false
  readonly heaps: DmaHeap[] = []

  /** dma_heap_init() (:312), subsys_initcall with CONFIG_DMABUF_HEAPS (bool, always built in). */
  init(): void {
    this.initialised = true
  }

  /**
   * dma_heap_add() (:222): a minor, the device `dma_heap/<name>` (dma_heap_devnode(), :307), and
   * the heap on the list unless its name is taken. 0 or -errno, with the kernel's pr_err.
   */
  add(kernel: Kernel, name: string, module?: string): number {
    if (!name) {
      kernel.printk('err', 'dma_heap: Cannot add heap without a name')
      return -ERRNO.EINVAL
    }
    const used = new Set(this.heaps.map((heap) => heap.minor))
    let minor = 0
    while (used.has(minor)) minor++
    if (minor >= NUM_HEAP_MINORS) {
      kernel.printk('err', 'dma_heap: Unable to get minor number for heap')
      return -ERRNO.EBUSY
    }
    if (this.heaps.some((heap) => heap.name === name)) {
      kernel.printk('err', `dma_heap: Already registered heap named ${name}`)
      return -ERRNO.EINVAL
    }
    this.heaps.push({ name, minor, ...(module ? { module } : {}) })
    return 0
  }

  names(): string[] {
    return this.heaps.map((heap) => heap.name).sort()
  }
}

/**
 * The heap core's own initcall, for initcalls-config.ts: subsys_initcall(dma_heap_init)
 * (drivers/dma-buf/dma-heap.c:329) where CONFIG_DMABUF_HEAPS builds it in.
 */
export const dmaHeapInitcall = {
  fn: 'dma_heap_init',
  level: 'subsys',
  kconfig: 'CONFIG_DMABUF_HEAPS',
  run: (kernel: Kernel) => (kernel.dmaHeaps.init(), 0),
} as const

/**
 * What an init function's dma_heap_add() calls add: a heap by name (system_heap_create(),
 * drivers/dma-buf/heaps/system_heap.c:424), or add_default_cma_heap() (cma_heap.c:394) for the
 * default CMA area, named cma_get_name(), and nothing (0) without one. 0 or the first -errno.
 */
export function addHeaps(kernel: Kernel, heaps: HeapsAtInit, module?: string): number {
  for (const heap of heaps) {
    const name = 'name' in heap ? heap.name : kernel.cma.defaultArea?.name
    if (name === undefined) continue
    const ret = kernel.dmaHeaps.add(kernel, name, module)
    if (ret < 0) return ret
  }
  return 0
}

/**
 * The heaps' files: /dev/dma_heap/<name> (devtmpfs makes the directory with the first node; the
 * node is a char device, read as empty here), /sys/class/dma_heap once the class exists.
 */
export function dmaHeapFile(kernel: Kernel, path: string): FileNode | undefined {
  const heaps = kernel.dmaHeaps
  if (path === '/sys/class/dma_heap' && heaps.initialised) return dir(() => heaps.names())
  if (path === '/dev/dma_heap' && heaps.heaps.length > 0) return dir(() => heaps.names())
  const match = /^\/dev\/dma_heap\/([^/]+)$/.exec(path)
  const heap = match && heaps.heaps.find((candidate) => candidate.name === match[1])
  return heap ? file(() => '') : undefined
}
