import type { Kernel } from '../kernel'
import { dir, file, type FileNode } from './pseudo-file'

const PAGE_SHIFT = 12n

/** show_val_kb() (fs/proc/meminfo.c:28): the label, the value in kB right-aligned in 8 columns. */
const showValKb = (label: string, kib: number) => `${label}${String(kib).padStart(8)} kB\n`

/**
 * /proc/meminfo as far as the simulation models memory: CmaTotal is totalcma_pages, CmaFree the
 * free CMA pages (fs/proc/meminfo.c:156, CONFIG_CMA). Nothing allocates from CMA here, so every
 * page of an area is free once cma_init_reserved_areas() (core_initcall, mm/cma.c:150) released
 * it. The other fields are not modelled and not shown.
 */
function meminfo(kernel: Kernel): string {
  if (kernel.inputs.profile.config.CONFIG_CMA !== 'y') return ''
  const total = kernel.cma.totalK
  return showValKb('CmaTotal:       ', total) + showValKb('CmaFree:        ', total)
}

/**
 * CONFIG_CMA_DEBUGFS (mm/cma_debug.c:163): a directory per area with its base_pfn, count and
 * order_per_bit ("%llu\n"), what is used and the largest free chunk, in pages (alloc and free are
 * write-only triggers, not simulated).
 */
function cmaDebugfs(kernel: Kernel, path: string): FileNode | undefined {
  if (kernel.inputs.profile.config.CONFIG_CMA_DEBUGFS !== 'y') return undefined
  const areas = kernel.cma.areas
  if (path === '/sys/kernel/debug/cma') return dir(() => areas.map((area) => area.name))
  const match = /^\/sys\/kernel\/debug\/cma\/([^/]+)(?:\/([a-z_]+))?$/.exec(path)
  const area = match && areas.find((candidate) => candidate.name === match[1])
  if (!match || !area) return undefined
  const count = area.size >> PAGE_SHIFT
  const values: Record<string, bigint> = {
    base_pfn: area.base >> PAGE_SHIFT,
    count,
    order_per_bit: 0n,
    used: 0n,
    maxchunk: count,
  }
  if (match[2] === undefined)
    return dir(() => [
      'alloc',
      'base_pfn',
      'bitmap',
      'count',
      'free',
      'maxchunk',
      'order_per_bit',
      'used',
    ])
  const value = values[match[2]]
  return value === undefined ? undefined : file(() => `${value}\n`)
}

export function cmaFile(kernel: Kernel, path: string): FileNode | undefined {
  if (path === '/proc/meminfo') return file(() => meminfo(kernel))
  return cmaDebugfs(kernel, path)
}
