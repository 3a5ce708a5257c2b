/** The largest devicetree source (and each of its includes) modlab reads: 16 MiB. */
export const MAX_SOURCE_BYTES = 16 * 1024 * 1024
/** The largest devicetree blob modlab imports: 24 MiB (real ones are under 1 MiB). */
export const MAX_BLOB_BYTES = 24 * 1024 * 1024

export const mebibytes = (bytes: number) =>
  `${(bytes / (1024 * 1024)).toFixed(bytes % (1024 * 1024) ? 1 : 0)} MiB`

/** A file refused before it was read, for its size; the message names the file and the limit. */
export class FileTooLargeError extends Error {
  constructor(
    readonly path: string,
    readonly size: number,
    readonly limit: number,
  ) {
    super(`${path} is ${mebibytes(size)}; modlab reads files of at most ${mebibytes(limit)}`)
    this.name = 'FileTooLargeError'
  }
}
