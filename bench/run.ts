// `npm run bench`: median engine time to boot synthetic boards (a benchmark, not a test).
import { join } from 'node:path'
import { loadKernelProfile } from '../src-main/catalog/kernel-profiles'
import { bootKernel } from '../src-main/kernel/boot'
import { readFileSync } from 'node:fs'
import { readFdt } from '../src-main/hardware/fdt'
import { benchDtbImport } from './dtb-import'
import { benchDtsParse } from './dts-parse'
import { benchFirstLoad } from './first-load'
import { benchHostile } from './hostile'
import { benchModules } from './modules'
import { benchProfileCheck } from './profile-check'
import { benchRealKernel } from './real-kernel'
import { benchSessions } from './sessions'
import { syntheticBoard } from './synthetic-board'
import { benchWhatIf } from './whatif'
import { benchTimeline } from './timeline'
import { machineInputs } from '../src-main/sessions/boot-runner'

const ROOT = join(__dirname, '..')
const profile = loadKernelProfile(join(ROOT, 'resources', 'kernels', 'debian-6.1-arm64'))
const RUNS = Number(process.env.BENCH_RUNS ?? 7)
const DRIVERS = 2000

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b)
  return sorted[Math.floor(sorted.length / 2)] ?? 0
}

// `npm run bench -- timeline|dts|whatif|firstload|kernel`: one case alone (dts: the 50,000-node
// board as source against the same board as a blob, with the include and macro bombs; firstload: a
// fresh host's first boot of 6.12, its module tree derived or from the disk cache; kernel: Debian's
// 6.12 whole, its load, depmod against kmod's, its import and db845c's boot on it).
const ALONE: Record<string, () => string[]> = {
  timeline: () => benchTimeline(median, RUNS),
  dts: () => benchHostile(median),
  whatif: () => benchWhatIf(median, RUNS),
  firstload: () => benchFirstLoad(median, Math.min(RUNS, 5)),
  kernel: () => benchRealKernel(median, RUNS),
}
const alone = ALONE[process.argv[2] ?? '']
if (alone) {
  const lines = alone()
  for (const line of lines) console.log(line)
  process.exit(lines.some((line) => line.includes('MISSED')) ? 1 : 0)
}

function bootBoard(devices: number) {
  const { tree, drivers } = syntheticBoard(devices, DRIVERS)
  const config = {
    ...profile.config,
    ...Object.fromEntries(drivers.map((d) => [d.kconfig, 'y' as const])),
  }
  const times: number[] = []
  let bound = 0
  let lines = 0
  for (let run = 0; run < RUNS + 1; run++) {
    const start = performance.now()
    const kernel = bootKernel(
      machineInputs({ ...profile, config, drivers: [...profile.drivers, ...drivers] }, tree, {
        cmdline: 'console=ttyAMA0',
        seed: 0,
      }),
    )
    const elapsed = performance.now() - start
    if (run > 0) times.push(elapsed) // the first run warms the JIT up
    bound = kernel.core.devices.filter((device) => device.state === 'bound').length
    lines = kernel.log.records.length
  }
  return { devices, median: median(times), bound, lines }
}

const results = [10_000, 20_000].map(bootBoard)
for (const r of results) {
  console.log(
    `${String(r.devices).padStart(6)} devices, ${DRIVERS} drivers: median ${r.median.toFixed(1)} ms over ${RUNS} boots (${r.bound} bound, ${r.lines} log lines)`,
  )
}
const [small, large] = results as [(typeof results)[0], (typeof results)[0]]
const growth = large.median / small.median
const okSpeed = small.median <= 250
const okGrowth = growth <= 2.3
console.log(
  `target: 10,000 devices <= 250 ms: ${okSpeed ? 'met' : 'MISSED'} (${small.median.toFixed(1)} ms)`,
)
console.log(
  `target: growth 10,000 -> 20,000 <= 2.3x: ${okGrowth ? 'met' : 'MISSED'} (${growth.toFixed(2)}x)`,
)
const dtbLines = [
  ...benchDtbImport(median),
  ...benchDtsParse(median),
  ...benchHostile(median),
  ...benchProfileCheck(median),
]
for (const line of dtbLines) console.log(line)
const virt = readFdt(
  new Uint8Array(readFileSync(join(ROOT, 'resources', 'profiles', 'qemu-virt', 'board.dtb'))),
)
const moduleLines = benchModules(profile, virt, median, RUNS)
for (const line of moduleLines) console.log(line)
const realLines = [...benchRealKernel(median, RUNS), ...benchFirstLoad(median, Math.min(RUNS, 5))]
for (const line of realLines) console.log(line)
const whatIfLines = benchWhatIf(median, RUNS)
for (const line of whatIfLines) console.log(line)
const timelineLines = benchTimeline(median, RUNS)
for (const line of timelineLines) console.log(line)
void benchSessions().then((sessionLines) => {
  for (const line of sessionLines) console.log(line)
  const missed = [
    ...dtbLines,
    ...moduleLines,
    ...realLines,
    ...whatIfLines,
    ...timelineLines,
    ...sessionLines,
  ].some((line) => line.includes('MISSED'))
  process.exitCode = okSpeed && okGrowth && !missed ? 0 : 1
})
