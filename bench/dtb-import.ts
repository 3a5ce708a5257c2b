import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { readFdt } from '../src-main/hardware/fdt'
import { boardBlobs } from '../tests/support/board-blobs'

/** Reading real boards: the Dragonboard 845c alone, and every blob of Debian's arm64 kernel package. */
export function benchDtbImport(median: (values: number[]) => number): string[] {
  const blobs = boardBlobs()
  if (!blobs) return ['dtb import: skipped (run scripts/fetch-board-blobs.sh to fetch the blobs)']
  const datas = blobs.files.map((file) => new Uint8Array(readFileSync(join(blobs.dir, file))))
  const db845c = datas[blobs.files.indexOf('qcom/sdm845-db845c.dtb')]
  const lines: string[] = []
  if (db845c) {
    for (let i = 0; i < 10; i++) readFdt(db845c)
    const times = Array.from({ length: 21 }, () => {
      const start = performance.now()
      readFdt(db845c)
      return performance.now() - start
    })
    const ms = median(times)
    lines.push(
      `dtb import: sdm845-db845c.dtb median ${ms.toFixed(2)} ms (target <= 20 ms: ${ms <= 20 ? 'met' : 'MISSED'})`,
    )
  }
  const all = Array.from({ length: 3 }, () => {
    const start = performance.now()
    for (const data of datas) readFdt(data)
    return performance.now() - start
  })
  const total = median(all)
  lines.push(
    `dtb import: all ${datas.length} blobs median ${total.toFixed(0)} ms (target <= 5000 ms: ${total <= 5000 ? 'met' : 'MISSED'})`,
  )
  return lines
}
