import { endianness } from 'node:os'
import type BetterSqlite3 from 'better-sqlite3'

/** One kernel record as a boot keeps it. */
export interface BootRecordRow {
  seq: number
  timestampNs: number
  level: number
  text: string
  device?: string
}

/**
 * A run of up to CHUNK_RECORDS consecutive records of a boot, stored column by column in one
 * row of `boot_log`: a row per record cost a statement per record, which capped recording well
 * below the 500,000 records a second a long boot needs. `first_seq` keys the row, so a page
 * from any seq is still an indexed range read.
 */
export interface LogChunkRow {
  firstSeq: number
  lastSeq: number
  recordCount: number
  /** float64 LE per record; null when the seqs run first_seq, first_seq + 1, ... */
  seqs: Buffer | null
  /** float64 LE per record (nanoseconds stay exact up to 2^53, about 104 days). */
  timestamps: Buffer
  /** One byte per record. */
  levels: Buffer
  /** JSON array of the texts. */
  texts: string
  /** JSON object from a record's index in the chunk to its device; null when none has one. */
  devices: string | null
}

export const CHUNK_RECORDS = 1024

const BIG_ENDIAN = endianness() === 'BE'

const float64s = (values: Float64Array, count: number): Buffer => {
  const buffer = Buffer.from(values.buffer, 0, count * 8)
  return BIG_ENDIAN ? Buffer.from(buffer).swap64() : buffer
}

/**
 * The records as chunks, in order, each valid only until the next is asked for: the columns
 * are written into the same buffers every time (SQLite copies what it is given), and a chunk
 * goes to SQLite before the next is built, so that recording a long boot leaves the garbage
 * collector next to nothing to move. `after` is the last seq the boot already holds: seqs must
 * rise strictly (a boot's records are its printk sequence), which is what lets a chunk be found
 * by its first seq.
 */
export function* encodeChunks(
  records: readonly BootRecordRow[],
  after = -Infinity,
): Generator<LogChunkRow> {
  const seqs = new Float64Array(CHUNK_RECORDS)
  const timestamps = new Float64Array(CHUNK_RECORDS)
  const levels = new Uint8Array(CHUNK_RECORDS)
  const texts = new Array<string>(CHUNK_RECORDS)
  let previous = after
  for (let start = 0; start < records.length; start += CHUNK_RECORDS) {
    const count = Math.min(CHUNK_RECORDS, records.length - start)
    texts.length = count
    let devices: Record<number, string> | null = null
    const firstSeq = records[start]!.seq
    let contiguous = true
    for (let index = 0; index < count; index++) {
      const record = records[start + index]!
      const seq = record.seq
      if (!(seq > previous))
        throw new RangeError(
          `kernel record seq ${seq} comes after seq ${previous}: a boot's records are kept in rising seq order, each once`,
        )
      previous = seq
      if (seq !== firstSeq + index) contiguous = false
      seqs[index] = seq
      timestamps[index] = record.timestampNs
      levels[index] = record.level
      if (levels[index] !== record.level)
        throw new RangeError(`kernel record seq ${seq} has level ${record.level}, not one of 0-255`)
      texts[index] = record.text
      if (record.device) (devices ??= {})[index] = record.device
    }
    yield {
      firstSeq,
      lastSeq: previous,
      recordCount: count,
      seqs: contiguous ? null : float64s(seqs, count),
      timestamps: float64s(timestamps, count),
      levels: Buffer.from(levels.buffer, 0, count),
      texts: JSON.stringify(texts),
      devices: devices && JSON.stringify(devices),
    }
  }
}

/** Appends the chunk's records from seq `from` on to `into`, stopping when it holds `limit`. */
export function decodeChunk(
  chunk: LogChunkRow,
  into: BootRecordRow[],
  from = -Infinity,
  limit = Infinity,
): void {
  const texts = JSON.parse(chunk.texts) as string[]
  const devices = chunk.devices ? (JSON.parse(chunk.devices) as Record<number, string>) : {}
  for (let index = 0; index < chunk.recordCount && into.length < limit; index++) {
    const seq = chunk.seqs ? chunk.seqs.readDoubleLE(index * 8) : chunk.firstSeq + index
    if (seq < from) continue
    const record: BootRecordRow = {
      seq,
      timestampNs: chunk.timestamps.readDoubleLE(index * 8),
      level: chunk.levels[index]!,
      text: texts[index]!,
    }
    const device = devices[index]
    if (device !== undefined) record.device = device
    into.push(record)
  }
}

export const CHUNK_COLUMNS = `first_seq AS firstSeq, last_seq AS lastSeq, record_count AS recordCount,
  seqs, timestamps, levels, texts, devices`

/** The statements that write and read a boot's chunks. */
export function logChunks(db: BetterSqlite3.Database) {
  const insert = db.prepare<
    [number, number, number, number, Buffer | null, Buffer, Buffer, string, string | null]
  >(
    `INSERT INTO boot_log (boot_id, first_seq, last_seq, record_count, seqs, timestamps, levels, texts, devices)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  )
  const last = db.prepare<[number], number>(
    'SELECT last_seq FROM boot_log WHERE boot_id = ? ORDER BY first_seq DESC LIMIT 1',
  )
  last.pluck()
  const all = db.prepare<[number], LogChunkRow>(
    `SELECT ${CHUNK_COLUMNS} FROM boot_log WHERE boot_id = ? ORDER BY first_seq`,
  )
  // From the chunk holding `from` (the last one starting at or before it) on.
  const fromSeq = db.prepare<[number, number, number, number], LogChunkRow>(
    `SELECT ${CHUNK_COLUMNS} FROM boot_log WHERE boot_id = ? AND first_seq >= coalesce(
       (SELECT MAX(first_seq) FROM boot_log WHERE boot_id = ? AND first_seq <= ?), ?)
     ORDER BY first_seq`,
  )
  return {
    /** Appends the records after those the boot holds (none when `fresh`). */
    append(bootId: number, records: readonly BootRecordRow[], fresh = false): void {
      if (records.length === 0) return
      const after = fresh ? undefined : last.get(bootId)
      for (const chunk of encodeChunks(records, after ?? -Infinity))
        insert.run(
          bootId,
          chunk.firstSeq,
          chunk.lastSeq,
          chunk.recordCount,
          chunk.seqs,
          chunk.timestamps,
          chunk.levels,
          chunk.texts,
          chunk.devices,
        )
    },
    all(bootId: number): BootRecordRow[] {
      const records: BootRecordRow[] = []
      for (const chunk of all.iterate(bootId)) decodeChunk(chunk, records)
      return records
    },
    /** `count` records from seq `from` on (all of them when `count` is negative). */
    page(bootId: number, from: number, count: number): BootRecordRow[] {
      const records: BootRecordRow[] = []
      if (count === 0) return records
      const limit = count < 0 ? Infinity : count
      for (const chunk of fromSeq.iterate(bootId, bootId, from, from)) {
        decodeChunk(chunk, records, from, limit)
        if (records.length >= limit) break
      }
      return records
    },
  }
}
