import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { runCli } from '../../src-main/hosts/cli/cli'
import { writeFdt } from '../../src-main/hardware/fdt-writer'
import { useTempDir } from '../store/helpers'
import { deepSource, includeFanOut, macroFanOut, sparseFile } from './corpus'

const tempDir = useTempDir()

async function cli(...argv: string[]) {
  let stderr = ''
  const code = await runCli(argv, {
    stdout: () => {},
    stderr: (text) => (stderr += text),
    env: { HOME: '/nonexistent-home' },
  })
  return { code, stderr }
}

describe('modlab CLI against hostile files', () => {
  it('refuses over-size files before reading them, with the limit in the message', async () => {
    const dir = tempDir()
    const blob = sparseFile(join(dir, 'huge.dtb'), 200 * 1024 * 1024)
    const source = sparseFile(join(dir, 'huge.dts'), 200 * 1024 * 1024)
    for (const command of [
      ['profile', 'import'],
      ['profile', 'validate'],
      ['boot', '--profile'],
    ]) {
      expect(await cli(...command, blob, '--data-dir', dir)).toEqual({
        code: 1,
        stderr: `modlab: ${blob} is 200 MiB; modlab reads files of at most 24 MiB\n`,
      })
    }
    expect(await cli('profile', 'import', source, '--data-dir', dir)).toEqual({
      code: 1,
      stderr: `modlab: ${source} is 200 MiB; modlab reads files of at most 16 MiB\n`,
    })
  })

  it('refuses include and macro bombs and trees deeper than 64 with exit 1', async () => {
    const dir = tempDir()
    const includes = includeFanOut()
    for (const [name, text] of Object.entries(includes.files)) writeFileSync(join(dir, name), text)
    writeFileSync(join(dir, 'fan.dts'), includes.main)
    writeFileSync(join(dir, 'macro.dts'), macroFanOut(8).main)
    writeFileSync(join(dir, 'deep.dts'), deepSource(100))
    const deepBlob = join(dir, 'deep.dtb')
    let node = { name: 'n', properties: [], children: [] as unknown[] }
    for (let level = 2; level < 100; level++) node = { name: 'n', properties: [], children: [node] }
    writeFileSync(
      deepBlob,
      writeFdt({
        root: { name: '', properties: [], children: [node] },
        memoryReservations: [],
        bootCpuId: 0,
      } as never),
    )
    const cases: [string, RegExp][] = [
      ['fan.dts', /more than 5000 files included in all/],
      ['macro.dts', /macros expand to more than 500,000 tokens in all/],
      ['deep.dts', /nested more than 64 deep/],
      ['deep.dtb', /nodes nested deeper than 64/],
    ]
    for (const [file, message] of cases) {
      for (const command of ['import', 'validate']) {
        const result = await cli('profile', command, join(dir, file), '--data-dir', dir)
        expect(result.code, `${command} ${file}`).toBe(1)
        expect(result.stderr).toMatch(message)
      }
    }
    expect(await cli('profiles', 'list', '--data-dir', dir)).toMatchObject({ code: 0 })
  })
})
