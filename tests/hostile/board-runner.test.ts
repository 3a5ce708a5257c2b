import { describe, expect, it } from 'vitest'
import { ApiError } from '../../src-main/api/errors'
import { workerBoardRunner } from '../../src-main/hosts/board-runner'
import { includeFanOut, wideSource } from './corpus'

const importJob = (dts: string, includeFiles: Record<string, string> = {}) => ({
  kind: 'import' as const,
  request: { name: 'b', fileName: 'board.dts', dts, includeDirs: ['I0'], includeFiles },
})

describe('board work on a worker thread', () => {
  const runner = workerBoardRunner()

  it('reads a board on a worker while this thread keeps turning', async () => {
    let turned = false
    setTimeout(() => (turned = true), 0)
    const board = await runner(importJob(wideSource(50_000)))
    expect(turned).toBe(true)
    expect(board.blob.length).toBeGreaterThan(1_000_000)
    expect(board.bootargs).toBe('')
  })

  it("brings a refusal back as the API's {code, message}, missing includes named", async () => {
    const fan = includeFanOut()
    const files = Object.fromEntries(Object.entries(fan.files).map(([n, t]) => [`I0/${n}`, t]))
    await expect(
      runner(importJob(fan.main.replace(/"f0/, '<f0').replace('dtsi"', 'dtsi>'), files)),
    ).rejects.toMatchObject({
      code: 'invalid-request',
      message: expect.stringMatching(/more than 5000 files included in all/),
    })
    await expect(runner(importJob('/dts-v1/;\n#include <gone.h>\n/ { };\n'))).rejects.toMatchObject(
      {
        code: 'invalid-request',
        missingInclude: { name: 'gone.h', searched: ['I0/gone.h'] },
      },
    )
  })

  it('stops a job past its deadline and says so', async () => {
    const hurried = workerBoardRunner({ deadlineMs: 1 })
    const outcome = hurried(importJob(wideSource(10))).catch((error: unknown) => error)
    expect(await outcome).toBeInstanceOf(ApiError)
    expect(await outcome).toMatchObject({
      code: 'invalid-request',
      message: 'board.dts took longer than 0.001 s to read and was stopped',
    })
  })
})
