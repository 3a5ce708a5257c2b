import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { DtsSyntaxError, parseDts } from '../../src-main/hardware/dts'
import { diskResolver } from '../../src-main/hardware/dts/disk-includes'
import { writeDts } from '../../src-main/hardware/dts-writer'
import { FdtError, readFdt } from '../../src-main/hardware/fdt'

/** A small seeded generator (mulberry32), so that a failure can be replayed. */
function random(seed: number) {
  let state = seed >>> 0
  const next = () => {
    state = (state + 0x6d2b79f5) >>> 0
    let t = state
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
  return { next, below: (n: number) => Math.floor(next() * n) }
}

const FIXTURES = join(__dirname, 'dts-fixtures')
const VIRT = join(__dirname, '..', '..', 'resources', 'profiles', 'qemu-virt', 'board.dtb')
const PIECES = [
  '{',
  '}',
  '};',
  ';',
  '<',
  '>',
  '[',
  ']',
  '(',
  ')',
  '"',
  "'",
  '&',
  '/',
  '#',
  '=',
  ',',
  ':',
  '@',
  '\\',
  '\n',
  '/*',
  '*/',
  '//',
  '&{/',
  '/delete-node/',
  '/delete-property/',
  '/bits/ 8',
  '/memreserve/',
  '/include/ "soc.dtsi"',
  '#include "board.dts"',
  '#define X X X',
  '#define F(a) F(a a)',
  '#if',
  '#endif',
  '#else',
  'F(',
  '0x',
  '99999999999999999999',
  '(1/0)',
  '(1<<99)',
  'label:',
  '&clk',
]

/** One random edit: cut a span, repeat a span, or insert syntax. */
function mutate(text: string, rng: ReturnType<typeof random>): string {
  const at = rng.below(text.length + 1)
  const span = rng.below(40)
  switch (rng.below(4)) {
    case 0:
      return text.slice(0, at) + text.slice(at + span)
    case 1:
      return text.slice(0, at) + text.slice(at, at + span).repeat(2) + text.slice(at + span)
    case 2:
      return text.slice(0, at) + (PIECES[rng.below(PIECES.length)] as string) + text.slice(at)
    default:
      return text.slice(0, at)
  }
}

/** Runs `parse` and returns the unexpected error, if any: only the parser's own errors may escape. */
function unexpectedError(
  parse: () => unknown,
  expected: new (...args: never[]) => Error,
): string | undefined {
  try {
    parse()
  } catch (error) {
    if (error instanceof expected && error.message.length > 0) return undefined
    return String((error as Error).stack ?? error)
  }
  return undefined
}

describe('parsers on hostile input', () => {
  it('the DTS parser answers every mutated source with a tree or a DtsSyntaxError', () => {
    const board = readFileSync(join(FIXTURES, 'board.dts'), 'utf8')
    const virt = writeDts(readFdt(new Uint8Array(readFileSync(VIRT))))
    const resolver = diskResolver([join(FIXTURES, 'include'), FIXTURES])
    const failures: string[] = []
    for (let seed = 1; seed <= 1500; seed++) {
      const rng = random(seed)
      let text = seed % 2 ? board : virt
      for (let edits = 1 + rng.below(4); edits > 0; edits--) text = mutate(text, rng)
      const failure = unexpectedError(
        () => parseDts(join(FIXTURES, 'board.dts'), text, { resolver }),
        DtsSyntaxError,
      )
      if (failure) failures.push(`seed ${seed}: ${failure}`)
    }
    expect(failures.slice(0, 3)).toEqual([])
  })

  it('the DTS parser refuses random bytes with a DtsSyntaxError', () => {
    const failures: string[] = []
    for (let seed = 1; seed <= 300; seed++) {
      const rng = random(seed)
      const text = String.fromCharCode(
        ...Array.from({ length: rng.below(300) }, () => rng.below(128)),
      )
      const failure = unexpectedError(
        () => parseDts('noise.dts', `/dts-v1/;\n${text}`),
        DtsSyntaxError,
      )
      if (failure) failures.push(`seed ${seed}: ${failure}`)
    }
    expect(failures.slice(0, 3)).toEqual([])
  })

  it('the blob reader answers every corrupted blob with a tree or an FdtError', () => {
    const blob = new Uint8Array(readFileSync(VIRT))
    const failures: string[] = []
    for (let seed = 1; seed <= 1500; seed++) {
      const rng = random(seed)
      let bytes = blob.slice()
      for (let edits = 1 + rng.below(8); edits > 0; edits--) {
        const kind = rng.below(4)
        if (kind === 3) bytes = bytes.slice(0, rng.below(bytes.length))
        else {
          // Header fields and the start of the structure block are where offsets live.
          const at = kind === 0 ? rng.below(Math.min(bytes.length, 64)) : rng.below(bytes.length)
          bytes[at] = kind === 2 ? 0xff : rng.below(256)
        }
      }
      const failure = unexpectedError(() => readFdt(bytes), FdtError)
      if (failure) failures.push(`seed ${seed}: ${failure}`)
    }
    expect(failures.slice(0, 3)).toEqual([])
  })
})
