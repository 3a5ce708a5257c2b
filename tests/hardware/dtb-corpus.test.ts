import { execFileSync } from 'node:child_process'
import { readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { readFdt } from '../../src-main/hardware/fdt'
import { writeFdt } from '../../src-main/hardware/fdt-writer'
import { useTempDir } from '../store/helpers'
import { boardBlobs } from '../support/board-blobs'
import { hasTool } from '../support/tools'

const tempDir = useTempDir()
const blobs = boardBlobs()

// Every board of Debian's arm64 kernel package (scripts/fetch-board-blobs.sh; .ci/run fetches it).
describe.skipIf(!blobs)(
  `the ${blobs?.files.length ?? 0} devicetree blobs of Debian's arm64 kernel`,
  () => {
    const { dir, files } = blobs ?? { dir: '', files: [] }

    it.skipIf(!hasTool('dtc'))(
      'are written so that dtc decompiles them to the same source as the originals',
      () => {
        expect(files.length).toBeGreaterThan(1000)
        const copy = join(tempDir(), 'copy.dtb')
        const dts = (file: string) =>
          execFileSync('dtc', ['-q', '-I', 'dtb', '-O', 'dts', file], {
            encoding: 'utf8',
            maxBuffer: 64 * 1024 * 1024,
          })
        for (const file of files) {
          const original = join(dir, file)
          writeFileSync(copy, writeFdt(readFdt(new Uint8Array(readFileSync(original)))))
          expect(dts(copy), file).toBe(dts(original))
        }
      },
      600_000,
    )
  },
)
