import { execFileSync } from 'node:child_process'
import { readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { readFdt } from '../../src-main/hardware/fdt'
import { writeFdt } from '../../src-main/hardware/fdt-writer'
import { syntheticBoard } from '../../bench/synthetic-board'
import { useTempDir } from '../store/helpers'
import { lacksTools } from '../support/tools'

const tempDir = useTempDir()
const VIRT = join(__dirname, '..', '..', 'resources', 'profiles', 'qemu-virt', 'board.dtb')

describe('writeFdt', () => {
  it('writes a blob that reads back to the same tree', () => {
    const tree = readFdt(new Uint8Array(readFileSync(VIRT)))
    expect(readFdt(writeFdt(tree))).toEqual(tree)
    const withReservations = {
      ...tree,
      memoryReservations: [{ address: 0x8000_0000n, size: 0x10_0000n }],
    }
    expect(readFdt(writeFdt(withReservations)).memoryReservations).toEqual(
      withReservations.memoryReservations,
    )
  })

  it.skipIf(lacksTools('dtc'))(
    'writes what dtc decompiles to the same source as the original',
    () => {
      const dir = tempDir()
      const copy = join(dir, 'copy.dtb')
      writeFileSync(copy, writeFdt(readFdt(new Uint8Array(readFileSync(VIRT)))))
      const dts = (file: string) =>
        execFileSync('dtc', ['-q', '-I', 'dtb', '-O', 'dts', file], { encoding: 'utf8' })
      expect(dts(copy)).toBe(dts(VIRT))
    },
  )

  it('writes large boards that dtc accepts', () => {
    const { tree } = syntheticBoard(2000, 50)
    const blob = writeFdt(tree)
    expect(readFdt(blob)).toEqual(tree)
    if (lacksTools('dtc')) return
    const file = join(tempDir(), 'big.dtb')
    writeFileSync(file, blob)
    const dts = execFileSync('dtc', ['-q', '-I', 'dtb', '-O', 'dts', file], { encoding: 'utf8' })
    expect(dts.match(/compatible = "bench,dev/g)).toHaveLength(2000)
  })
})
