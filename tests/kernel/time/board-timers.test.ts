import { existsSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { formatText } from '../../../src-main/kernel/dmesg-format'
import { kernelFile } from '../../../src-main/kernel/kernfs/kernel-files'
import { runBoot } from '../../../src-main/sessions/boot-runner'
import { expectGolden } from '../../support/golden'
import { ROOT } from '../helpers'
import { TIME_FILES, TIME_BOARDS as BOARDS } from './boards'

/**
 * Each SoC timer on its board, Debian 6.12, seed 0: the timer lines of the boot, /proc/timer_list
 * and the clocksource sysfs files, against `golden/time/<board>.txt`. A change is a reviewed diff:
 * `UPDATE_GOLDEN=1 npx vitest run tests/kernel/time`.
 */
const DIR = join(__dirname, '..', 'golden', 'time')
const TIMER_LINE =
  /arch_timer|clocksource|sched_clock|mct|mtk|Calibrating delay|timer_probe|Failed to initialize/

function transcript(board: string): string {
  const { kernel } = runBoot({
    profile: board,
    kernel: 'debian-6.12-arm64',
    resources: join(ROOT, 'resources'),
  })
  const read = (path: string) => {
    const node = kernelFile(kernel, path)
    return `# cat ${path}\n${node?.kind === 'file' ? node.read() : ''}`
  }
  const lines = kernel.log.records.map(formatText).filter((line) => TIMER_LINE.test(line))
  return [
    `# dmesg | grep -E '${TIMER_LINE.source}'\n${lines.join('\n')}\n`,
    ...TIME_FILES.map(read),
  ].join('')
}

describe('SoC timers on their boards', () => {
  for (const board of BOARDS) {
    it(`${board}: timer lines, /proc/timer_list and the clocksource files`, () => {
      const file = join(DIR, `${board}.txt`)
      // A missing golden fails here too (expectGolden would write it outside CI).
      if (!process.env.UPDATE_GOLDEN) expect(existsSync(file), `${file} is missing`).toBe(true)
      expectGolden(transcript(board), file)
    })
  }
})
