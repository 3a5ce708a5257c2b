import { findInclude, type IncludeBudget, type IncludeResolver } from './includes'
import { DtsSyntaxError, MappedText, type SourceLocation } from './source-text'

/** Whitespace, comments and the `# LINE "FILE"` markers cpp leaves in its output. */
const SPACE = /(?:\s+|\/\*[^]*?\*\/|\/\/[^\n]*|(?<=^|\n)#\s+\d[^\n]*)+/y

interface OpenSource {
  text: MappedText
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

  constructor(
    text: MappedText,
    private readonly resolver: IncludeResolver,
    private readonly budget: IncludeBudget,
  ) {
    this.open = [{ text, at: 0 }]
  }

  private get current(): OpenSource {
    return this.open[this.open.length - 1] as OpenSource
  }

  /** Where the next token starts (worked out only if something reads it). */
  location(): SourceLocation {
    this.skip()
    const { text, at } = this.current
    return text.lazyLocation(at)
  }

  private here(): SourceLocation {
    const { text, at } = this.current
    return text.locate(at)
  }

  fail(reason: string, location = this.location()): never {
    throw new DtsSyntaxError(location, reason)
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
    this.open.push({ text: MappedText.of(found.path, found.text.replace(/\r\n?/g, '\n')), at: 0 })
  }
}
