import { findInclude, type IncludeBudget, type IncludeResolver } from './includes'
import { DtsSyntaxError, MappedText, type SourceLocation } from './source-text'

/** Whitespace, comments and the `# LINE "FILE"` markers cpp leaves in its output. */
const SPACE = /(?:\s+|\/\*[^]*?\*\/|\/\/[^\n]*|(?<=^|\n)#\s+\d[^\n]*)+/y

/**
 * A place in a parse's sources as one number (the source's index times 2^32, plus the offset),
 * turned into a SourceLocation by `locate` only when an error needs it: a 50,000-node board
 * keeps hundreds of thousands of places for errors that never come.
 */
export type Mark = number

const SOURCE_STRIDE = 2 ** 32

// The scanners below read character codes in place: one substring per name, no match arrays.
const NAME_CHARS = charTable('a-zA-Z0-9,._+*#?@-')
const WORD_CHARS = charTable('a-zA-Z0-9_')

function charTable(ranges: string): Uint8Array {
  const table = new Uint8Array(128)
  for (let at = 0; at < ranges.length; at++) {
    const first = ranges.charCodeAt(at)
    const last =
      ranges[at + 1] === '-' && at + 2 < ranges.length ? ranges.charCodeAt(at + 2) : first
    for (let code = first; code <= last; code++) table[code] = 1
    if (last !== first) at += 2
  }
  return table
}

/** NaN (past the end) and codes over 127 are in no table. */
const inTable = (table: Uint8Array, code: number) => table[code] === 1

function hexDigit(code: number): number {
  if (code >= 48 && code <= 57) return code - 48
  if (code >= 97 && code <= 102) return code - 87
  if (code >= 65 && code <= 70) return code - 55
  return -1
}

interface OpenSource {
  text: MappedText
  /** Its index in `sources`, for marks. */
  index: number
  at: number
  /** Where skipping last stopped: the parser asks for the next token several times over. */
  skipped?: number
}

/**
 * Reads devicetree source as dtc's lexer does, one token class at a time, as the parser asks
 * for it. Comments, cpp line markers and `/include/ "FILE"` are handled between tokens.
 */
export class DtsLexer {
  private open: OpenSource[]
  /** Names read lately, by a hash of their characters. */
  private readonly names: (string | undefined)[] = new Array<string | undefined>(1024).fill(
    undefined,
  )
  /** Every text read, the main one first: marks point into them. */
  private readonly sources: MappedText[]

  constructor(
    text: MappedText,
    private readonly resolver: IncludeResolver,
    private readonly budget: IncludeBudget,
  ) {
    this.open = [{ text, index: 0, at: 0 }]
    this.sources = [text]
  }

  private get current(): OpenSource {
    return this.open[this.open.length - 1] as OpenSource
  }

  /** Where the next token starts. */
  mark(): Mark {
    this.skip()
    const { index, at } = this.current
    return index * SOURCE_STRIDE + at
  }

  locate(mark: Mark): SourceLocation {
    const index = Math.floor(mark / SOURCE_STRIDE)
    return (this.sources[index] as MappedText).locate(mark - index * SOURCE_STRIDE)
  }

  private here(): SourceLocation {
    const { text, at } = this.current
    return text.locate(at)
  }

  fail(reason: string, at: Mark | SourceLocation = this.mark()): never {
    throw new DtsSyntaxError(typeof at === 'number' ? this.locate(at) : at, reason)
  }

  /** Skips whitespace, comments, line markers and `/include/`s; false at the very end. */
  skip(): boolean {
    for (;;) {
      const source = this.current
      if (source.skipped === source.at) return true
      const { text } = source.text
      SPACE.lastIndex = source.at
      if (SPACE.test(text)) source.at = SPACE.lastIndex
      if (text.startsWith('/*', source.at)) this.fail('unterminated comment', this.here())
      if (source.at < text.length) {
        if (text.startsWith('/include/', source.at)) {
          this.includeFile()
          continue
        }
        source.skipped = source.at
        return true
      }
      if (this.open.length === 1) return false
      this.open.pop()
    }
  }

  atEnd(): boolean {
    return !this.skip()
  }

  /** The next character (after skipping), or '' at the end. */
  peek(): string {
    this.skip()
    return this.current.text.text[this.current.at] ?? ''
  }

  /** True (and consumed) when the next token starts with `literal`. */
  accept(literal: string): boolean {
    this.skip()
    const source = this.current
    if (!source.text.text.startsWith(literal, source.at)) return false
    source.at += literal.length
    return true
  }

  /** `what` may be a function: a message built for every token costs more than the parse. */
  expect(literal: string, what: string | (() => string)): void {
    if (!this.accept(literal)) this.fail(`expected ${typeof what === 'string' ? what : what()}`)
  }

  /** Reads a match of a sticky regular expression at the next token, or returns undefined. */
  match(pattern: RegExp): RegExpExecArray | undefined {
    this.skip()
    const source = this.current
    pattern.lastIndex = source.at
    const found = pattern.exec(source.text.text)
    if (!found) return undefined
    source.at = pattern.lastIndex
    return found
  }

  /** A label's name (`[a-zA-Z_][a-zA-Z0-9_]*:`, read with its colon), or undefined (and nothing read). */
  label(): string | undefined {
    this.skip()
    const source = this.current
    const { text } = source.text
    const start = source.at
    const first = text.charCodeAt(start)
    if (!inTable(WORD_CHARS, first) || (first >= 0x30 && first <= 0x39)) return undefined
    let end = start + 1
    while (inTable(WORD_CHARS, text.charCodeAt(end))) end++
    if (text.charCodeAt(end) !== 0x3a) return undefined
    source.at = end + 1
    return text.slice(start, end)
  }

  /** A node or property name (`\\?[a-zA-Z0-9,._+*#?@-]+`) without its backslash, or undefined. */
  name(): string | undefined {
    this.skip()
    const source = this.current
    const { text } = source.text
    const start = text.charCodeAt(source.at) === 0x5c ? source.at + 1 : source.at
    let end = start
    let hash = 0
    for (let code = text.charCodeAt(end); inTable(NAME_CHARS, code); code = text.charCodeAt(++end))
      hash = (Math.imul(hash, 31) + code) | 0
    if (end === start) return undefined
    source.at = end
    // The names a board repeats (`compatible`, `reg`...) come from a small cache, not a new string each.
    const slot = hash & (this.names.length - 1)
    const cached = this.names[slot]
    if (cached?.length === end - start && text.startsWith(cached, start)) return cached
    const name = text.slice(start, end)
    this.names[slot] = name
    return name
  }

  /**
   * A cell literal that surely fits 32 bits, not followed by a word character or `(`: hex of up
   * to 8 digits, decimal of up to 9 without a leading 0, or 0. -1 (and nothing read) otherwise.
   */
  smallCell(): number {
    this.skip()
    const source = this.current
    const { text } = source.text
    const start = source.at
    const first = text.charCodeAt(start)
    let at = start + 1
    let value = 0
    if (first === 0x30 && (text.charCodeAt(at) | 0x20) === 0x78) {
      at++
      for (let digit = hexDigit(text.charCodeAt(at)); digit >= 0 && at - start <= 10;) {
        value = value * 16 + digit
        digit = hexDigit(text.charCodeAt(++at))
      }
      if (at === start + 2 || at - start > 10) return -1
    } else if (first >= 0x31 && first <= 0x39) {
      value = first - 0x30
      for (let code = text.charCodeAt(at); code >= 0x30 && code <= 0x39 && at - start <= 9;) {
        value = value * 10 + code - 0x30
        code = text.charCodeAt(++at)
      }
      if (at - start > 9) return -1
    } else if (first !== 0x30) return -1
    const next = text.charCodeAt(at)
    if (inTable(WORD_CHARS, next) || next === 0x28) return -1
    source.at = at
    return value
  }

  /**
   * A `"string"` of printable ASCII without escapes as its bytes and the NUL, or undefined (and
   * nothing read) for anything else, which `match` reads.
   */
  plainString(): Uint8Array | undefined {
    this.skip()
    const source = this.current
    const { text } = source.text
    const start = source.at + 1
    if (text.charCodeAt(source.at) !== 0x22) return undefined
    let end = start
    for (let code = text.charCodeAt(end); code !== 0x22; code = text.charCodeAt(++end))
      if (!(code >= 0x20 && code <= 0x7e) || code === 0x5c) return undefined
    const bytes = new Uint8Array(end - start + 1)
    for (let at = start; at < end; at++) bytes[at - start] = text.charCodeAt(at)
    source.at = end + 1
    return bytes
  }

  /** The cursor, to come back to after looking ahead. */
  save(): OpenSource[] {
    return this.open.map((source) => ({ ...source }))
  }

  restore(saved: OpenSource[]): void {
    this.open = saved
  }

  /** The raw text at the cursor, for messages. */
  upcoming(): string {
    this.skip()
    const { text, at } = this.current
    const word = /[^\s;{}<>[\]()=,]+|./y
    word.lastIndex = at
    return word.exec(text.text)?.[0] ?? 'the end of the file'
  }

  private includeFile(): void {
    const location = this.here()
    this.current.at += '/include/'.length
    const name = this.match(/"([^"\n]*)"/y)?.[1]
    if (name === undefined) this.fail('expected "FILE" after /include/')
    const found = findInclude(
      this.resolver,
      {
        name,
        from: location.file,
        quoted: true,
        depth: this.open.length - 1,
        directive: '/include/',
      },
      location,
      this.budget,
    )
    const text = MappedText.of(found.path, found.text.replace(/\r\n?/g, '\n'))
    this.open.push({ text, index: this.sources.length, at: 0 })
    this.sources.push(text)
  }
}
