import { isAscii } from 'node:buffer'
import { existsSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { gunzipSync, gzipSync } from 'node:zlib'
import { CatalogFormatError, decodeCatalog, encodeCatalog } from './catalog-codec'
import type { KernelCatalog } from './kernel-catalog-schema'

/** The generated whole-kernel data of a profile folder: what loading it reads. */
export const CATALOG_FILE = 'catalog.json.gz'
/** Its modules' lists, read when a boot or a command first needs one (`catalog-codec.ts`). */
export const CATALOG_LISTS_FILE = 'catalog-lists.json.gz'

/** ASCII JSON (the few non-ASCII characters of modinfo authors escaped): read as one-byte strings. */
function asciiJson(value: object): string {
  return JSON.stringify(value).replace(
    /[\u007f-\uffff]/g,
    (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`,
  )
}

/** The two files' bytes, by file name. */
export function catalogFiles(catalog: KernelCatalog, level = 6): Record<string, Buffer> {
  const encoded = encodeCatalog(catalog)
  return {
    [CATALOG_FILE]: gzipSync(asciiJson(encoded.catalog), { level }),
    [CATALOG_LISTS_FILE]: gzipSync(asciiJson(encoded.lists), { level }),
  }
}

/** Inflated at once into a buffer of the size the gzip trailer records: no chunks to join. */
function gunzipJson(bytes: Buffer): unknown {
  const size = bytes.length >= 4 ? bytes.readUInt32LE(bytes.length - 4) : 0
  const json =
    size > 0 && size < 1 << 30
      ? gunzipSync(bytes, { chunkSize: Math.max(size + 1, 64 * 1024) })
      : gunzipSync(bytes)
  return JSON.parse(isAscii(json) ? json.toString('latin1') : json.toString('utf8'))
}

/**
 * A profile folder's catalog. Both files are read now (a catalog written again later cannot mix
 * with this one); the lists are inflated and parsed the first time one is needed. `read`: both
 * files' bytes, already read by the caller.
 */
export function readCatalogFiles(
  dir: string,
  read?: { catalog: Buffer; lists: Buffer | undefined },
): KernelCatalog {
  const catalog = gunzipJson(read?.catalog ?? readFileSync(join(dir, CATALOG_FILE)))
  const listsPath = join(dir, CATALOG_LISTS_FILE)
  // Missing, they are named after the format is checked (an older catalog had none).
  const lists = read ? read.lists : existsSync(listsPath) ? readFileSync(listsPath) : undefined
  return decodeCatalog(
    catalog,
    lists &&
      (() => {
        try {
          return gunzipJson(lists)
        } catch (error) {
          throw new CatalogFormatError(`${listsPath}: ${(error as Error).message}`)
        }
      }),
  )
}
