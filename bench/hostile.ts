import { filesResolver, parseDts } from '../src-main/hardware/dts'
import { DtsSyntaxError } from '../src-main/hardware/dts'
import { writeDts } from '../src-main/hardware/dts-writer'
import { readFdt } from '../src-main/hardware/fdt'
import { writeFdt } from '../src-main/hardware/fdt-writer'
import { includeFanOut, macroFanOut, type SourceCase } from '../tests/hostile/corpus'
import { syntheticBoard } from './synthetic-board'

const time = (work: () => void) => {
  const start = performance.now()
  work()
  return performance.now() - start
}

/** Parsing stays linear: a 50,000-node board as source against the same board as a blob, in this run. */
export function benchHostile(median: (values: number[]) => number, runs = 3): string[] {
  const { tree } = syntheticBoard(50_000, 2000)
  const blob = writeFdt(tree)
  const source = writeDts(tree)
  parseDts('board.dts', source) // warm-up
  readFdt(blob)
  const dts = median(Array.from({ length: runs }, () => time(() => parseDts('board.dts', source))))
  const dtb = median(Array.from({ length: runs }, () => time(() => readFdt(blob))))
  const ratio = dts / dtb
  const lines = [
    `hostile: 50,000-node .dts parse median ${dts.toFixed(0)} ms, its .dtb ${dtb.toFixed(0)} ms: ${ratio.toFixed(1)}x (target <= 3x: ${ratio <= 3 ? 'met' : 'MISSED'})`,
  ]
  const bombs: [string, SourceCase][] = [
    ['include fan-out (41 files, each including the next twice)', includeFanOut()],
    ['macro fan-out (8 lines of 8^5-cell macros)', macroFanOut(8)],
  ]
  for (const [name, bomb] of bombs) {
    let outcome = 'finished'
    const ms = time(() => {
      try {
        parseDts('main.dts', bomb.main, {
          resolver: filesResolver(new Map(Object.entries(bomb.files)), []),
        })
      } catch (error) {
        if (!(error instanceof DtsSyntaxError)) throw error
        outcome = 'refused'
      }
    })
    // Against the peer of this run, not a wall-clock figure: the machine may be shared.
    lines.push(
      `hostile: ${name} ${outcome} in ${ms.toFixed(0)} ms: ${(ms / dtb).toFixed(1)}x the 50,000-node .dtb (target <= 1x, well under 1 s on an idle machine: ${ms <= dtb ? 'met' : 'MISSED'})`,
    )
  }
  return lines
}
