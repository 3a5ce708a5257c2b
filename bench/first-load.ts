// A fresh host's first boot of Debian's 6.12 on db845c (issue 15): the profile read from its
// files and its module tree derived (depmod over 4,000 modules), against the same first boot
// whose depmod run comes from the disk cache, and against a plain boot of the loaded kernel, in
// the same run so that the ratios survive a noisy machine.
import { mkdtempSync, rmSync } from 'node:fs'
import { loadavg, tmpdir } from 'node:os'
import { join } from 'node:path'
import { readKernelProfile } from '../src-main/catalog/kernel-profiles'
import type { KernelProfile } from '../src-main/catalog/kernel-profile-schema'
import { loadBuiltinProfiles } from '../src-main/hardware/builtin-profiles'
import { bootWithUserspace, machineInputs } from '../src-main/sessions/boot-runner'

type Median = (values: number[]) => number
const ROOT = join(__dirname, '..')
const KERNEL = join(ROOT, 'resources', 'kernels', 'debian-6.12-arm64')

/** CPU time (the machine's load inflates wall time far more than work done). */
const cpu = (run: () => void) => {
  const start = process.cpuUsage()
  run()
  const used = process.cpuUsage(start)
  return (used.user + used.system) / 1000
}

export function benchFirstLoad(median: Median, runs: number): string[] {
  const board = loadBuiltinProfiles(join(ROOT, 'resources', 'profiles')).find(
    (candidate) => candidate.file.id === 'db845c',
  )
  if (!board) throw new Error('no built-in board db845c')
  const boot = (profile: KernelProfile) =>
    bootWithUserspace(
      machineInputs(profile, board.tree, {
        cmdline: board.file.bootargs,
        memory: board.file.memory,
      }),
    )
  const cache = mkdtempSync(join(tmpdir(), 'modlab-bench-cache-'))
  const saved = process.env.MODLAB_CACHE_DIR
  const withCache = (dir: string, run: () => void) => {
    process.env.MODLAB_CACHE_DIR = dir
    try {
      return cpu(run)
    } finally {
      if (saved === undefined) delete process.env.MODLAB_CACHE_DIR
      else process.env.MODLAB_CACHE_DIR = saved
    }
  }
  const loaded = readKernelProfile(KERNEL)
  // Warms the JIT, and writes the cache entry the cached first loads read.
  withCache(cache, () => boot(loaded))
  const plain: number[] = []
  const derived: number[] = []
  const cached: number[] = []
  try {
    for (let run = 0; run < runs; run++) {
      plain.push(cpu(() => boot(loaded)))
      derived.push(withCache('off', () => boot(readKernelProfile(KERNEL))))
      cached.push(withCache(cache, () => boot(readKernelProfile(KERNEL))))
    }
  } finally {
    rmSync(cache, { recursive: true, force: true })
  }
  const [p, d, c] = [median(plain), median(derived), median(cached)]
  const ratio = c / d
  return [
    `first boot of db845c on 6.12, profile read from its files (CPU time, median of ${runs}, load average ${loadavg()[0]?.toFixed(1)}): module tree derived ${d.toFixed(0)} ms, depmod from the disk cache ${c.toFixed(0)} ms; a plain boot of the loaded kernel ${p.toFixed(0)} ms`,
    `target: first boot from the cache <= 0.8x the one that derives its tree: ${ratio <= 0.8 ? 'met' : 'MISSED'} (${ratio.toFixed(2)}x; ${(c / p).toFixed(1)}x a plain boot)`,
  ]
}
