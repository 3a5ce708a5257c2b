import { execFileSync } from 'node:child_process'
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import type { DeviceTree } from '../../src-main/hardware/devicetree'
import { writeDts } from '../../src-main/hardware/dts-writer'
import { readFdt } from '../../src-main/hardware/fdt'
import { lacksTools } from '../support/tools'

const VIRT = join(__dirname, '..', '..', 'resources', 'profiles', 'qemu-virt', 'board.dtb')
const virt = () => readFdt(new Uint8Array(readFileSync(VIRT)))
const compile = (dts: string) =>
  readFdt(new Uint8Array(execFileSync('dtc', ['-q', '-I', 'dts', '-O', 'dtb'], { input: dts })))

describe('writeDts', () => {
  it('writes strings, cells, bytes and empty properties as dtc does', () => {
    const bytes = (...values: number[]) => new Uint8Array(values)
    const tree: DeviceTree = {
      root: {
        name: '',
        properties: [
          { name: 'compatible', value: new TextEncoder().encode('acme,board\0acme,soc\0') },
          { name: 'reg', value: bytes(0, 0, 0x10, 0, 0, 0, 0, 0x20) },
          { name: 'mac-address', value: bytes(0, 0x11, 0x22, 0x33, 0x44, 0x55) },
          { name: 'dma-coherent', value: bytes() },
          { name: 'label', value: new TextEncoder().encode('say "hi" \\o/\0') },
        ],
        children: [{ name: 'child@10', properties: [], children: [] }],
      },
      memoryReservations: [{ address: 0x8000_0000n, size: 0x1000n }],
      bootCpuId: 0,
    }
    expect(writeDts(tree)).toBe(
      [
        '/dts-v1/;',
        '',
        '/memreserve/ 0x80000000 0x1000;',
        '',
        '/ {',
        '\tcompatible = "acme,board", "acme,soc";',
        '\treg = <0x1000 0x20>;',
        '\tmac-address = [00 11 22 33 44 55];',
        '\tdma-coherent;',
        '\tlabel = "say \\"hi\\" \\\\o/";',
        '',
        '\tchild@10 {',
        '\t};',
        '};',
        '',
      ].join('\n'),
    )
    if (!lacksTools('dtc')) expect(compile(writeDts(tree))).toEqual({ ...tree, bootCpuId: 0 })
  })

  it.skipIf(lacksTools('dtc'))(
    'writes QEMU virt so that dtc compiles it back to the same tree',
    () => {
      expect(compile(writeDts(virt())).root).toEqual(virt().root)
    },
  )
})
