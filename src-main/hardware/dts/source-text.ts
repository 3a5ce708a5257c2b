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
    // Plain data, whether it came in plain or lazy.
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
}

/** Text assembled from one or more files (by the preprocessor) that still knows where each line came from. */
export class MappedText {
  private readonly lineStarts: number[] = [0]

  constructor(
    readonly text: string,
    private readonly lines: MappedLine[],
  ) {
    for (let at = text.indexOf('\n'); at !== -1; at = text.indexOf('\n', at + 1))
      this.lineStarts.push(at + 1)
  }

  /** Text taken as-is from one file. */
  static of(file: string, text: string): MappedText {
    const count = text.split('\n').length
    return new MappedText(
      text,
      Array.from({ length: count }, (_, index) => ({ file, line: index + 1 })),
    )
  }

  /** A place, worked out only when read (most are kept for an error that never comes). */
  lazyLocation(offset: number): SourceLocation {
    return new LazyLocation(this, offset)
  }

  locate(offset: number): SourceLocation {
    let low = 0
    let high = this.lineStarts.length - 1
    while (low < high) {
      const middle = (low + high + 1) >> 1
      if ((this.lineStarts[middle] as number) <= offset) low = middle
      else high = middle - 1
    }
    const origin = this.lines[low] ?? this.lines[this.lines.length - 1] ?? { file: '?', line: 1 }
    const outColumn = offset - (this.lineStarts[low] as number) + 1
    return { file: origin.file, line: origin.line, column: sourceColumn(origin, outColumn) }
  }
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

class LazyLocation implements SourceLocation {
  private located?: SourceLocation

  constructor(
    private readonly text: MappedText,
    private readonly offset: number,
  ) {}

  private get place(): SourceLocation {
    this.located ??= this.text.locate(this.offset)
    return this.located
  }

  get file() {
    return this.place.file
  }
  get line() {
    return this.place.line
  }
  get column() {
    return this.place.column
  }
}
