import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { readBoardFile } from '../../src-main/hardware/board-file'
import { DtsSyntaxError, filesResolver, parseDts } from '../../src-main/hardware/dts'
import { FileTooLargeError } from '../../src-main/hardware/file-limits'
import { useTempDir } from '../store/helpers'
import {
  deepConditionals,
  deepExpression,
  deepSource,
  includeFanOut,
  macroFanOut,
  sparseFile,
  wideSource,
  type SourceCase,
} from './corpus'

const tempDir = useTempDir()

function outcome(source: SourceCase | string): string {
  const { main, files } = typeof source === 'string' ? { main: source, files: {} } : source
  try {
    const tree = parseDts('main.dts', main, {
      resolver: filesResolver(new Map(Object.entries(files)), []),
    })
    return `parsed ${tree.root.children.length} top-level nodes`
  } catch (error) {
    if (error instanceof DtsSyntaxError) return error.message
    throw error
  }
}

describe('the DTS parser against hostile sources', () => {
  it('refuses includes fanning out (a file including the next twice, 41 deep) by a total budget', () => {
    expect(outcome(includeFanOut())).toMatch(
      /^f\d+\.dtsi:\d+:1: more than 5000 files included in all/,
    )
  })

  it('refuses macros that multiply past the total budget, naming the line and the macro', () => {
    expect(outcome(macroFanOut(8))).toMatch(
      /^main\.dts:\d+:\d+: macros expand to more than 500,000 tokens in all \(A multiplying\?\)/,
    )
  })

  it('still locates an error after a long macro-expanded line', () => {
    const { main } = macroFanOut(1)
    expect(outcome(main.replace('<E(0)>', '<E(0) oops>'))).toMatch(/^main\.dts:7:14: /)
  })

  it('refuses nodes nested deeper than the FDT limit of 64, and reads 64', () => {
    expect(outcome(deepSource(64))).toBe('parsed 1 top-level nodes')
    expect(outcome(deepSource(65))).toMatch(
      /nested more than 64 deep \(the devicetree format's limit\)/,
    )
    expect(outcome(deepSource(100_000))).toMatch(/nested more than 64 deep/)
  })

  it('refuses expressions and conditionals nested without end instead of overflowing the stack', () => {
    expect(outcome(deepExpression(10))).toBe('parsed 0 top-level nodes')
    expect(outcome(deepExpression(100_000))).toMatch(/the expression is nested more than 256 deep/)
    expect(outcome(deepConditionals(100_000))).toMatch(/#if nested more than 256 deep/)
  })

  it('reads a node with 50,000 children and reports a duplicate among them at the twin', () => {
    expect(outcome(wideSource(50_000))).toBe('parsed 1 top-level nodes')
    const twin = wideSource(50_000).replace('dev@c34f {', 'dev@1 {')
    expect(outcome(twin)).toMatch(/^main\.dts:\d+:3: duplicate node dev@1 in \/soc$/)
  })

  it('refuses a file over the size limit before reading it, naming the file and the limit', () => {
    const dir = tempDir()
    const big = sparseFile(join(dir, 'huge.dts'), 200 * 1024 * 1024)
    expect(() => readBoardFile(big)).toThrow(FileTooLargeError)
    expect(() => readBoardFile(big)).toThrow(
      `${big} is 200 MiB; modlab reads files of at most 16 MiB`,
    )
    const board = join(dir, 'board.dts')
    writeFileSync(board, '/dts-v1/;\n#include "huge.dts"\n/ { };\n')
    expect(() => readBoardFile(board)).toThrow(
      `board.dts:2:1: ${big} is 200 MiB; modlab reads files of at most 16 MiB`,
    )
  })
})
