// Debian's real 6.12 kernel, whole: loading its profile, modlab's depmod against kmod's on the same
// tree, importing the tree, and booting the real boards on it.
import { spawnSync } from 'node:child_process'
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { loadavg, tmpdir } from 'node:os'
import { join } from 'node:path'
import { buildCatalog } from '../src-main/catalog/import/catalog-builder'
import { diskTree } from '../src-main/catalog/import/disk-tree'
import { readKernelProfile } from '../src-main/catalog/kernel-profiles'
import { loadBuiltinProfiles } from '../src-main/hardware/builtin-profiles'
import { bootKernel } from '../src-main/kernel/boot'
import { bootWithUserspace, machineInputs } from '../src-main/sessions/boot-runner'
import { depmod } from '../src-main/userspace/depmod'
import { moduleFilesOf } from '../src-main/userspace/system'

type Median = (values: number[]) => number
const ROOT = join(__dirname, '..')
const KERNEL = join(ROOT, 'resources', 'kernels', 'debian-6.12-arm64')

const time = (run: () => void) => {
  const start = performance.now()
  run()
  return performance.now() - start
}
const verdict = (ok: boolean) => (ok ? 'met' : 'MISSED')

export function benchRealKernel(median: Median, runs: number): string[] {
  const lines: string[] = []
  const loads: number[] = []
  const lists: number[] = []
  for (let run = 0; run <= runs; run++) {
    let loaded: ReturnType<typeof readKernelProfile> | undefined
    const load = time(() => (loaded = readKernelProfile(KERNEL)))
    // What a first boot's depmod and module loader add: every module's lists, the vmlinux exports.
    const read = time(() => {
      for (const module of loaded?.modules ?? []) void [module.info, module.imports, module.exports]
      void loaded?.exports
    })
    if (run > 0) loads.push(load)
    if (run > 0) lists.push(read)
  }
  const load = median(loads)
  lines.push(
    `debian-6.12-arm64 profile load: median ${load.toFixed(0)} ms (its modules' lists, read at the first boot: ${median(lists).toFixed(0)} ms more) at load average ${loadavg()[0]?.toFixed(1)}; target <= 300 ms: ${verdict(load <= 300)}`,
  )

  const profile = readKernelProfile(KERNEL)
  const release = profile.release
  const tree = join(ROOT, '.cache', 'kernels', release, 'lib', 'modules', release)
  const files = moduleFilesOf(profile)
  if (existsSync(tree)) {
    // Pair by pair, A B A B: modlab's depmod over the imported tree, kmod's depmod -b over the files.
    // depmod writes its files beside the modules: it runs on a copy made of hard links.
    const copy = mkdtempSync(join(tmpdir(), 'modlab-bench-'))
    mkdirSync(join(copy, 'lib', 'modules'), { recursive: true })
    spawnSync('cp', ['-al', tree, join(copy, 'lib', 'modules', release)])
    const root = join(ROOT, '.cache', 'kernels', release)
    const ratios: number[] = []
    const ours: number[] = []
    const theirs: number[] = []
    for (let run = 0; run <= Math.min(runs, 5); run++) {
      const a = time(() => depmod({ modules: files.modules, builtin: files.builtin }))
      const b = time(() => {
        if (spawnSync('depmod', ['-b', copy, release]).status !== 0)
          throw new Error('depmod failed')
      })
      if (run === 0) continue
      ours.push(a)
      theirs.push(b)
      ratios.push(a / b)
    }
    const ratio = median(ratios)
    rmSync(copy, { recursive: true, force: true })
    lines.push(
      `depmod over ${files.modules.length} real modules: modlab ${median(ours).toFixed(0)} ms, kmod depmod -b ${median(theirs).toFixed(0)} ms, ratio ${ratio.toFixed(2)}; target < 1: ${verdict(ratio < 1)}`,
    )
    const importMs = time(() =>
      buildCatalog(
        {
          modules: diskTree(tree, release),
          symvers: readFileSync(join(root, 'Module.symvers'), 'utf8'),
          config: readFileSync(join(root, 'config'), 'utf8'),
        },
        undefined,
      ),
    )
    lines.push(
      `import of the whole ${release} tree: ${(importMs / 1000).toFixed(1)} s; target <= 20 s: ${verdict(importMs <= 20_000)}`,
    )
  } else {
    lines.push(
      `(no ${tree}: run bash scripts/fetch-kernel-packages.sh 6.12 for the depmod and import figures)`,
    )
  }

  const boards = loadBuiltinProfiles(join(ROOT, 'resources', 'profiles'))
  const db845c = boards.find((board) => board.file.id === 'db845c')
  if (db845c) {
    const inputs = machineInputs(profile, db845c.tree, {
      cmdline: db845c.file.bootargs,
      memory: db845c.file.memory,
    })
    const engine: number[] = []
    const whole: number[] = []
    for (let run = 0; run <= runs; run++) {
      const e = time(() => bootKernel(inputs))
      const w = time(() => bootWithUserspace(inputs))
      if (run > 0) engine.push(e)
      if (run > 0) whole.push(w)
    }
    lines.push(
      `db845c on the full 6.12 catalog: engine ${median(engine).toFixed(1)} ms, with udev coldplug of its modules ${median(whole).toFixed(1)} ms (median of ${runs}); target engine <= 100 ms: ${verdict(median(engine) <= 100)}`,
    )
  }
  return lines
}
