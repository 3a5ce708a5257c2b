/** A place in a devicetree source file; line and column count from 1. */
export interface SourceLocation {
  file: string
  line: number
  column: number
}

export function formatLocation(location: SourceLocation): string {
  return `${location.file}:${location.line}:${location.column}`
}

/** A devicetree source that cannot be read, with where and why. */
export class DtsSyntaxError extends Error {
  readonly location: SourceLocation

  constructor(
    location: SourceLocation,
    readonly reason: string,
    /** Set when an `#include` or `/include/` was not found: the name and every path tried. */
    readonly missingInclude?: { name: string; searched: string[] },
  ) {
    super(`${formatLocation(location)}: ${reason}`)
    this.name = 'DtsSyntaxError'
    this.location = { file: location.file, line: location.line, column: location.column }
  }
}

/** Where a piece of an output line came from: text copied as-is, or the expansion of a macro. */
export interface LineSegment {
  /** The output column where the piece starts. */
  outColumn: number
  /** The source column it maps to: where the copy starts, or the macro's name. */
  sourceColumn: number
  copied: boolean
}

/** One output line and the source line it came from. */
export interface MappedLine {
  file: string
  line: number
  /** Only for lines rewritten by macro expansion; other lines map column for column. */
  segments?: LineSegment[]
  /** Lines copied as they are, this one and the ones after it: `line`, `line + 1`... (1 if absent). */
  count?: number
}

/** Text assembled from one or more files (by the preprocessor) that still knows where each line came from. */
export class MappedText {
  private readonly lineStarts: number[] = [0]
  /** The output line where each entry of `lines` starts. */
  private readonly entryStarts: number[] = []

  constructor(
    readonly text: string,
    private readonly lines: MappedLine[],
  ) {
    for (let at = text.indexOf('\n'); at !== -1; at = text.indexOf('\n', at + 1))
      this.lineStarts.push(at + 1)
    let outLine = 0
    for (const entry of lines) {
      this.entryStarts.push(outLine)
      outLine += entry.count ?? 1
    }
  }

  /** Text taken as-is from one file. */
  static of(file: string, text: string): MappedText {
    // Counted in place: splitting would make a string of every line of a large include.
    let count = 1
    for (let at = text.indexOf('\n'); at !== -1; at = text.indexOf('\n', at + 1)) count++
    return new MappedText(text, [{ file, line: 1, count }])
  }

  locate(offset: number): SourceLocation {
    const low = lastAtOrBefore(this.lineStarts, offset)
    const outColumn = offset - (this.lineStarts[low] as number) + 1
    const entry = lastAtOrBefore(this.entryStarts, low)
    const origin = this.lines[entry] ?? { file: '?', line: 1 }
    const line = origin.line + low - (this.entryStarts[entry] ?? low)
    return { file: origin.file, line, column: sourceColumn(origin, outColumn) }
  }
}

/** The index of the last value at or before `target` in an ascending list (0 if none). */
function lastAtOrBefore(values: readonly number[], target: number): number {
  let low = 0
  let high = values.length - 1
  while (low < high) {
    const middle = (low + high + 1) >> 1
    if ((values[middle] as number) <= target) low = middle
    else high = middle - 1
  }
  return Math.max(low, 0)
}

/** Binary search: a macro-expanded line may hold 100,000 segments, and every token is located. */
function sourceColumn(origin: MappedLine, outColumn: number): number {
  const segments = origin.segments
  if (!segments) return outColumn
  let low = 0
  let high = segments.length - 1
  if (high < 0 || (segments[0] as LineSegment).outColumn > outColumn) return outColumn
  while (low < high) {
    const middle = (low + high + 1) >> 1
    if ((segments[middle] as LineSegment).outColumn <= outColumn) low = middle
    else high = middle - 1
  }
  const segment = segments[low] as LineSegment
  return segment.copied
    ? segment.sourceColumn + outColumn - segment.outColumn
    : segment.sourceColumn
}
