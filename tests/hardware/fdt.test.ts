import { execFileSync } from 'node:child_process'
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import {
  countCpus,
  countNodes,
  memorySize,
  stringValue,
  type DtNode,
} from '../../src-main/hardware/devicetree'
import { FdtError, readFdt } from '../../src-main/hardware/fdt'
import { lacksTools } from '../support/tools'

const VIRT_BLOB = join(__dirname, '..', '..', 'resources', 'profiles', 'qemu-virt', 'board.dtb')
const virt = () => new Uint8Array(readFileSync(VIRT_BLOB))

/** Every node path with its property names, as `dtc -I dtb -O dts` prints them. */
function dtcOutline(blob: string): Map<string, string[]> {
  const dts = execFileSync('dtc', ['-I', 'dtb', '-O', 'dts', blob], {
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'ignore'],
  })
  const outline = new Map<string, string[]>()
  const stack: string[] = []
  for (const raw of dts.split('\n')) {
    const line = raw.trim()
    const open = /^(?:[\w-]+:\s*)?(\S+) \{$/.exec(line)
    if (open?.[1]) {
      stack.push(open[1] === '/' ? '' : open[1])
      outline.set(stack.join('/') || '/', [])
    } else if (line === '};') {
      stack.pop()
    } else if (stack.length > 0 && line.endsWith(';')) {
      outline.get(stack.join('/') || '/')?.push(/^([^\s=;]+)/.exec(line)?.[1] ?? line)
    }
  }
  return outline
}

function outlineOf(node: DtNode, path = ''): Map<string, string[]> {
  const outline = new Map([[path || '/', node.properties.map((p) => p.name)]])
  for (const child of node.children)
    for (const entry of outlineOf(child, `${path}/${child.name}`)) outline.set(...entry)
  return outline
}

describe('readFdt on QEMU virt', () => {
  const tree = readFdt(virt())

  it('reads the board facts the profile shows', () => {
    expect(stringValue(tree.root, 'model')).toBe('linux,dummy-virt')
    expect(countNodes(tree.root)).toBe(62)
    expect(countCpus(tree)).toBe(4)
    expect(memorySize(tree)).toBe(2n * 1024n ** 3n)
    expect(tree.memoryReservations).toEqual([])
  })

  it.skipIf(lacksTools('dtc'))('sees the same nodes and properties as dtc', () => {
    const ours = outlineOf(tree.root)
    const theirs = dtcOutline(VIRT_BLOB)
    expect(theirs.size).toBe(62)
    expect([...ours.keys()].sort()).toEqual([...theirs.keys()].sort())
    for (const [path, properties] of theirs)
      expect(ours.get(path)?.slice().sort(), path).toEqual(properties.slice().sort())
  })
})

describe('readFdt on malformed input', () => {
  const patched = (offset: number, value: number) => {
    const bytes = virt()
    new DataView(bytes.buffer).setUint32(offset, value)
    return bytes
  }
  const structOffset = new DataView(virt().buffer).getUint32(8)

  it.each([
    ['an empty file', new Uint8Array(), /shorter than the 40-byte header/],
    [
      'a text file',
      new TextEncoder().encode('/dts-v1/;\n/ { model = "x"; };\n'.repeat(3)),
      /magic is 0x2f647473, expected 0xd00dfeed/,
    ],
    [
      'a truncated blob',
      virt().subarray(0, 1000),
      /truncated devicetree blob: header says \d+ bytes, file has 1000/,
    ],
    ['version 15', patched(20, 15), /unsupported devicetree blob version 15/],
    [
      'a structure block past the end',
      patched(36, 0x7fffffff),
      /structure block .* runs past the end/,
    ],
    ['an unknown token', patched(structOffset, 0x77), /unknown structure token 0x77 at offset/],
    ['a property before any node', patched(structOffset, 3), /property outside any node/],
  ])('refuses %s with a message saying what is wrong', (_what, bytes, message) => {
    expect(() => readFdt(bytes)).toThrow(FdtError)
    expect(() => readFdt(bytes)).toThrow(message)
  })

  it('never fails with anything but an FdtError on mutated blobs', () => {
    // A seeded xorshift: the same mutations every run.
    let state = 0x2545f491
    const next = () => {
      state ^= state << 13
      state ^= state >>> 17
      state ^= state << 5
      return state >>> 0
    }
    for (let round = 0; round < 2000; round++) {
      const bytes = virt()
      for (let flips = 1 + (next() % 8); flips > 0; flips--)
        bytes[next() % bytes.length] = next() & 0xff
      try {
        readFdt(round % 10 === 0 ? bytes.subarray(0, next() % bytes.length) : bytes)
      } catch (error) {
        expect(error, `round ${round}`).toBeInstanceOf(FdtError)
      }
    }
  })
})
