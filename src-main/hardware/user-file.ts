import { closeSync, fstatSync, openSync, readSync } from 'node:fs'
import { FileTooLargeError } from './file-limits'

/**
 * A user's file read whole, refused (FileTooLargeError) before a byte is read when it is larger
 * than `limit`. Never more than the size seen at open is read, whatever the file does meanwhile.
 */
export function readUserFile(path: string, limit: number): Buffer {
  const fd = openSync(path, 'r')
  try {
    const size = fstatSync(fd).size
    if (size > limit) throw new FileTooLargeError(path, size, limit)
    const buffer = Buffer.alloc(size)
    let read = 0
    while (read < size) {
      const count = readSync(fd, buffer, read, size - read, read)
      if (count === 0) break
      read += count
    }
    return buffer.subarray(0, read)
  } finally {
    closeSync(fd)
  }
}
