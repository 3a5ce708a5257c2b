// The what-if on db845c (issue 13): two boots, the diff and memory across every board, against one
// plain boot of the same board in the same run, so that the ratio survives a noisy machine.
import { join } from 'node:path'
import { runWhatIf } from '../src-main/analysis/whatif'
import { KernelRegistry } from '../src-main/catalog/kernel-registry'
import { runBoot } from '../src-main/sessions/boot-runner'

type Median = (values: number[]) => number
const RESOURCES = join(__dirname, '..', 'resources')
const KERNEL = 'debian-6.12-arm64'

const time = (run: () => void) => {
  const start = performance.now()
  run()
  return performance.now() - start
}

export function benchWhatIf(median: Median, runs: number): string[] {
  const kernels = new KernelRegistry(join(RESOURCES, 'kernels'))
  const plain = () => runBoot({ profile: 'db845c', kernel: KERNEL, resources: RESOURCES, kernels })
  const whatIf = () =>
    runWhatIf({
      profiles: ['db845c'],
      kernel: KERNEL,
      changes: { CONFIG_ARM_SMMU: 'm' },
      resources: RESOURCES,
      kernels,
    })
  // The first of each loads the kernel and derives its module tree, once per process.
  plain()
  whatIf()
  const boots: number[] = []
  const whatIfs: number[] = []
  for (let run = 0; run < runs; run++) {
    boots.push(time(plain))
    whatIfs.push(time(whatIf))
  }
  const boot = median(boots)
  const asked = median(whatIfs)
  const ratio = asked / boot
  return [
    `what-if CONFIG_ARM_SMMU=m on db845c (2 boots, diff, memory on every board): median ${asked.toFixed(1)} ms; one plain boot ${boot.toFixed(1)} ms`,
    `target: what-if <= 300 ms: ${asked <= 300 ? 'met' : 'MISSED'} (${asked.toFixed(1)} ms)`,
    `target: what-if <= 10x one plain boot: ${ratio <= 10 ? 'met' : 'MISSED'} (${ratio.toFixed(2)}x)`,
  ]
}
