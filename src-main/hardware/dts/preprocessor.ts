import { findInclude, type IncludeBudget, type IncludeResolver } from './includes'
import { MacroError, MacroTable, NeedMoreLines } from './macros'
import { conditionalDirective, type Conditional } from './pp-conditionals'
import { blankComments, tokenizeLine, type PpToken } from './pp-tokens'
import {
  DtsSyntaxError,
  MappedText,
  type LineSegment,
  type MappedLine,
  type SourceLocation,
} from './source-text'

export interface PreprocessOptions {
  resolver: IncludeResolver
  /** `-D NAME=VALUE` definitions on top of the kernel's `-D__DTS__`. */
  defines?: Record<string, string>
  /** Shared with dtc's `/include/`s of the same parse. */
  budget: IncludeBudget
}

/** The preprocessed text one parse may produce (macros multiplying, includes fanning out). */
export const MAX_PREPROCESSED_CHARS = 64 * 1024 * 1024

const DIRECTIVES = new Set([
  'include',
  'define',
  'undef',
  'if',
  'ifdef',
  'ifndef',
  'elif',
  'else',
  'endif',
  'error',
  'warning',
  'pragma',
  'line',
  'ident',
])

/** `\w`: [A-Za-z0-9_]; NaN (an empty string) is not. */
function isWordChar(code: number): boolean {
  return (
    (code >= 48 && code <= 57) ||
    (code >= 65 && code <= 90) ||
    (code >= 97 && code <= 122) ||
    code === 95
  )
}

/** A line the loop below takes as a directive (or a null directive, which it drops). */
const DIRECTIVE_LINE = new RegExp(
  `^[^\\S\\n]*#[^\\S\\n]*(?:(?:${[...DIRECTIVES].join('|')})(?!\\w)|(?![A-Za-z_]))`,
  'm',
)

/**
 * The part of the C preprocessor that devicetree sources use, run as the kernel runs it
 * (`cpp -nostdinc -undef -D__DTS__ -x assembler-with-cpp`): comments, `#include`, `#define`
 * (object-like and function-like, `#` and `##`), `#undef`, `#if`/`#ifdef`/`#ifndef`/`#elif`/
 * `#else`/`#endif` and `#error`. Other lines starting with `#` (such as `#address-cells`) are text.
 */
export function preprocess(file: string, text: string, options: PreprocessOptions): MappedText {
  const run = new Preprocessor(options)
  run.file(file, text, 0)
  return new MappedText(run.outText.join('\n'), run.outLines)
}

class Preprocessor {
  readonly outText: string[] = []
  readonly outLines: MappedLine[] = []
  private readonly macros = new MacroTable()
  private outChars = 0

  constructor(private readonly options: PreprocessOptions) {
    const defines = { __DTS__: '1', __ASSEMBLER__: '1', __STDC__: '1', ...options.defines }
    for (const [name, value] of Object.entries(defines)) {
      this.macros.define({ name, variadic: false, body: tokenizeLine(value) })
    }
  }

  file(path: string, text: string, depth: number): void {
    const normalized = blankComments(text.replace(/^\uFEFF/, '').replace(/\r\n?/g, '\n'))
    if (this.plainText(path, normalized)) return
    const lines = normalized.split('\n')
    const conditionals: Conditional[] = []
    const active = () => conditionals.every((conditional) => conditional.active)
    for (let index = 0; index < lines.length;) {
      const lineNumber = index + 1
      let line = lines[index++] as string
      while (line.endsWith('\\') && index < lines.length) line = line.slice(0, -1) + lines[index++]
      const at = (column: number): SourceLocation => ({ file: path, line: lineNumber, column })
      const directive = /^(\s*)#\s*([A-Za-z_]\w*)?/.exec(line)
      const name = directive?.[2]
      if (directive && (name === undefined || DIRECTIVES.has(name))) {
        const column = (directive[1] as string).length + 1
        const rest = line.slice(directive[0].length)
        if (name === undefined) continue // the null directive, or a line marker `# 12 "file"`
        if (conditionalDirective(this.macros, name, rest, conditionals, at(column))) continue
        if (active()) this.directive(name, rest, path, at(column), depth)
        continue
      }
      if (!active()) continue
      if (!this.macros.mayExpand(line)) {
        this.emit(line, { file: path, line: lineNumber }, at(1))
        continue
      }
      let tokens = tokenizeLine(line)
      for (;;) {
        try {
          this.emitExpanded(this.macros.expand(tokens), path, lineNumber, at(1))
          break
        } catch (error) {
          if (error instanceof NeedMoreLines && index < lines.length) {
            tokens = [...tokens, { kind: 'space', text: ' ', column: line.length + 1 }]
            tokens.push(...tokenizeLine(lines[index++] as string, line.length + 2))
            continue
          }
          if (error instanceof NeedMoreLines)
            throw new DtsSyntaxError(at(1), 'unterminated argument list of a macro')
          if (error instanceof MacroError) throw new DtsSyntaxError(at(error.column), error.message)
          throw error
        }
      }
    }
    const open = conditionals.pop()
    if (open) throw new DtsSyntaxError(open.location, 'unterminated conditional: #endif expected')
  }

  /**
   * A file with no directive, no continued line and no macro name in it (dtc's own output,
   * modlab's export) passes through as it is, without a look at each line's words.
   */
  private plainText(path: string, text: string): boolean {
    if (DIRECTIVE_LINE.test(text) || text.includes('\\\n') || !this.macros.surelyAbsentFrom(text))
      return false
    let count = 1
    for (let at = text.indexOf('\n'); at !== -1; at = text.indexOf('\n', at + 1)) count++
    this.emit(text, { file: path, line: 1, count }, { file: path, line: 1, column: 1 })
    return true
  }

  private emit(text: string, origin: MappedLine, location: SourceLocation): void {
    this.outChars += text.length + 1
    if (this.outChars > MAX_PREPROCESSED_CHARS) {
      throw new DtsSyntaxError(
        location,
        `the preprocessed source passes ${MAX_PREPROCESSED_CHARS / (1024 * 1024)} MiB (macros or includes multiplying?)`,
      )
    }
    this.outText.push(text)
    this.outLines.push(origin)
  }

  private emitExpanded(
    tokens: PpToken[],
    file: string,
    line: number,
    location: SourceLocation,
  ): void {
    const segments: LineSegment[] = []
    // Pieces joined once at the end: reading the last character of a growing string flattens it.
    const parts: string[] = []
    let length = 0
    let lastChar = NaN
    for (const token of tokens) {
      // Keep two words that macro expansion put side by side from running into one.
      if (token.expanded && isWordChar(lastChar) && isWordChar(token.text.charCodeAt(0))) {
        parts.push(' ')
        length++
      }
      const copied = !token.expanded
      const last = segments[segments.length - 1]
      const continues = copied
        ? last?.copied && last.sourceColumn + length + 1 - last.outColumn === token.column
        : last && !last.copied && last.sourceColumn === token.column
      if (!continues) segments.push({ outColumn: length + 1, sourceColumn: token.column, copied })
      parts.push(token.text)
      length += token.text.length
      lastChar = token.text.charCodeAt(token.text.length - 1)
    }
    const text = parts.join('')
    this.emit(text, { file, line, segments }, location)
  }

  private directive(
    name: string,
    rest: string,
    path: string,
    location: SourceLocation,
    depth: number,
  ): void {
    switch (name) {
      case 'include':
        return this.include(rest, path, location, depth)
      case 'define':
        return this.define(rest, location)
      case 'undef': {
        const macro = /^\s*([A-Za-z_]\w*)/.exec(rest)?.[1]
        if (!macro) throw new DtsSyntaxError(location, '#undef needs a macro name')
        return this.macros.undefine(macro)
      }
      case 'error':
        throw new DtsSyntaxError(location, `#error ${rest.trim()}`)
      default:
        return // #warning, #pragma, #line and #ident change nothing in the tree
    }
  }

  private define(rest: string, location: SourceLocation): void {
    const head = /^\s*([A-Za-z_]\w*)(\(([^)]*)\))?/.exec(rest)
    if (!head) throw new DtsSyntaxError(location, '#define needs a macro name')
    const name = head[1] as string
    let params: string[] | undefined
    let variadic = false
    if (head[2] !== undefined) {
      params = (head[3] as string).split(',').map((param) => param.trim())
      if (params.length === 1 && params[0] === '') params = []
      if (params[params.length - 1] === '...') {
        variadic = true
        params.pop()
      }
      const bad = params.find((param) => !/^[A-Za-z_]\w*$/.test(param))
      if (bad !== undefined)
        throw new DtsSyntaxError(location, `#define ${name}: '${bad}' is not a parameter name`)
    }
    const body = tokenizeLine(rest.slice(head[0].length))
    while (body[0]?.kind === 'space') body.shift()
    while (body[body.length - 1]?.kind === 'space') body.pop()
    this.macros.define({ name, params, variadic, body })
  }

  private include(rest: string, path: string, location: SourceLocation, depth: number): void {
    let spec = rest.trim()
    if (!/^["<]/.test(spec) && this.macros.mayExpand(spec)) {
      spec = this.macros
        .expand(tokenizeLine(spec))
        .map((token) => token.text)
        .join('')
        .trim()
    }
    const match = /^"([^"]+)"|^<([^>]+)>/.exec(spec)
    if (!match) throw new DtsSyntaxError(location, '#include expects "FILE" or <FILE>')
    const quoted = match[1] !== undefined
    const name = (match[1] ?? match[2]) as string
    const found = findInclude(
      this.options.resolver,
      { name, from: path, quoted, depth, directive: '#include' },
      location,
      this.options.budget,
    )
    this.file(found.path, found.text, depth + 1)
  }
}
