import Database from 'better-sqlite3'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach } from 'vitest'
import {
  CHUNK_COLUMNS,
  decodeChunk,
  type BootRecordRow,
  type LogChunkRow,
} from '../../src-main/store/log-chunks'

/** A fresh directory per test, removed afterwards. */
export function useTempDir(): () => string {
  const dirs: string[] = []
  afterEach(() => {
    for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true })
  })
  return () => {
    const dir = mkdtempSync(join(tmpdir(), 'modlab-test-'))
    dirs.push(dir)
    return dir
  }
}

/**
 * What an engine that printed otherwise would have recorded: the texts of a boot's records
 * whose seq `which` picks are changed in the database file itself. Returns the texts they had.
 */
export function changeStoredTexts(
  file: string,
  bootId: number,
  which: (seq: number) => boolean,
  change: (text: string) => string,
): string[] {
  const db = new Database(file)
  try {
    const chunks = db
      .prepare<[number], LogChunkRow & { id: number }>(
        `SELECT rowid AS id, ${CHUNK_COLUMNS} FROM boot_log WHERE boot_id = ? ORDER BY first_seq`,
      )
      .all(bootId)
    const update = db.prepare<[string, number]>('UPDATE boot_log SET texts = ? WHERE rowid = ?')
    const originals: string[] = []
    for (const chunk of chunks) {
      const records: BootRecordRow[] = []
      decodeChunk(chunk, records)
      const texts = records.map(({ seq, text }) => {
        if (!which(seq)) return text
        originals.push(text)
        return change(text)
      })
      update.run(JSON.stringify(texts), chunk.id)
    }
    return originals
  } finally {
    db.close()
  }
}
