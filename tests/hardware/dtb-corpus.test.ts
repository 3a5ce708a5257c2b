import { execFileSync } from 'node:child_process'
import { readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { parseDts } from '../../src-main/hardware/dts'
import { readFdt } from '../../src-main/hardware/fdt'
import { writeFdt } from '../../src-main/hardware/fdt-writer'
import { useTempDir } from '../store/helpers'
import { boardBlobs } from '../support/board-blobs'
import { canonicalSource } from '../support/dts-sources'
import { lacks, lacksTools } from '../support/tools'

const tempDir = useTempDir()
const blobs = boardBlobs()

// Every board of Debian's arm64 kernel package (scripts/fetch-board-blobs.sh; .ci/run fetches it).
describe.skipIf(lacks(!blobs, 'the arm64 kernel blobs are not in .cache/dtbs'))(
  `the ${blobs?.files.length ?? 0} devicetree blobs of Debian's arm64 kernel`,
  () => {
    const { dir, files } = blobs ?? { dir: '', files: [] }

    it.skipIf(lacksTools('dtc'))(
      'are written so that dtc decompiles them to the same source, which parses back to the tree',
      () => {
        expect(files.length).toBeGreaterThan(1000)
        const copy = join(tempDir(), 'copy.dtb')
        const dts = (file: string) =>
          execFileSync('dtc', ['-q', '-I', 'dtb', '-O', 'dts', file], {
            encoding: 'utf8',
            maxBuffer: 64 * 1024 * 1024,
          })
        const recompiled = (source: string) =>
          canonicalSource(
            readFdt(
              new Uint8Array(
                execFileSync('dtc', ['-q', '-I', 'dts', '-O', 'dtb'], { input: source }),
              ),
            ),
          )
        for (const file of files) {
          const original = join(dir, file)
          const tree = readFdt(new Uint8Array(readFileSync(original)))
          writeFileSync(copy, writeFdt(tree))
          const decompiled = dts(original)
          expect(dts(copy), file).toBe(decompiled)
          // modlab's DTS parser reads dtc's decompiled source back to the blob's tree, except where
          // dtc's own output is ambiguous ("\0" before a digit reads back as one octal escape):
          // there it must read what dtc reads.
          const parsed = canonicalSource(parseDts(file, decompiled))
          if (parsed !== canonicalSource(tree)) expect(parsed, file).toBe(recompiled(decompiled))
        }
      },
      600_000,
    )
  },
)
