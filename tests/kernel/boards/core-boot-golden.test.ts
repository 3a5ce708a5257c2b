import { join } from 'node:path'
import { describe, it } from 'vitest'
import { formatText } from '../../../src-main/kernel/dmesg-format'
import { runBoot } from '../../../src-main/sessions/boot-runner'
import { expectGolden } from '../../support/golden'
import { ROOT } from '../helpers'

/**
 * The core boot of each real board on Debian 6.12: the first 200 lines `dmesg` shows (every
 * record, whatever the console level), with the board's own bootargs. A change is a reviewed diff
 * of `golden/boards/<board>.dmesg`: `UPDATE_GOLDEN=1 npx vitest run tests/kernel/boards`.
 */
const BOARDS = ['db845c', 'hikey960', 'mt8183-pumpkin', 'pixel6-oriole', 'rpi4b']
const LINES = 200

describe('core boot of the real boards', () => {
  for (const board of BOARDS) {
    it(`${board}: the first ${LINES} dmesg lines`, () => {
      const { kernel } = runBoot({
        profile: board,
        kernel: 'debian-6.12-arm64',
        resources: join(ROOT, 'resources'),
      })
      const lines = kernel.log.records.slice(0, LINES).map(formatText)
      expectGolden(
        `${lines.join('\n')}\n`,
        join(__dirname, '..', 'golden', 'boards', `${board}.dmesg`),
      )
    })
  }
})
