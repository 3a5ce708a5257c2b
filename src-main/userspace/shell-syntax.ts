/**
 * The part of busybox ash's grammar the kernel shell speaks: `;` and newlines between commands,
 * `#` comments, `|` between the commands of a pipeline, `>` redirection, single and double quotes
 * and backslash escapes.
 */

/**
 * The characters of `text` as ash's lexer sees them: an escape (`\x`) or anything inside quotes
 * comes whole and `quoted`, kept as written; what is left may split a command. `open` tells
 * whether a quote is still open after the last one; a caller that meets a comment sets `comment`,
 * and what follows up to the end of the line (quotes included) is skipped.
 */
function* shellChars(
  text: string,
  state: { open?: string; comment?: boolean } = {},
): Generator<{ text: string; quoted: boolean }> {
  for (let i = 0; i < text.length; i++) {
    const ch = text[i] as string
    if (state.comment) {
      if (ch === '\n') state.comment = false
    } else if (ch === '\\' && state.open !== "'" && i + 1 < text.length) {
      // An escaped character is kept as written (tokenize removes the backslash) but never splits.
      yield { text: ch + (text[++i] as string), quoted: true }
    } else if (state.open) {
      if (ch === state.open) state.open = undefined
      yield { text: ch, quoted: true }
    } else if (ch === '"' || ch === "'") {
      state.open = ch
      yield { text: ch, quoted: true }
    } else yield { text: ch, quoted: false }
  }
}

/** Splits a script into commands at `;` and newlines, outside quotes; `#` starts a comment. */
export function splitCommands(script: string): string[] {
  const commands: string[] = []
  let current = ''
  const state: { comment?: boolean } = {}
  for (const { text, quoted } of shellChars(script, state)) {
    if (quoted) current += text
    else if (text === '#' && (current === '' || /\s$/.test(current))) {
      state.comment = true
      commands.push(current)
      current = ''
    } else if (text === ';' || text === '\n') {
      commands.push(current)
      current = ''
    } else current += text
  }
  commands.push(current)
  return commands.map((command) => command.trim()).filter(Boolean)
}

/**
 * The commands of one pipeline (`lsmod | grep virtio | wc -l`), split at `|` outside quotes;
 * ash's syntax error when a command is missing on either side of a `|`.
 */
export function splitPipeline(command: string): string[] | { error: string } {
  const stages: string[] = []
  let current = ''
  let previous = ''
  // A `|` with nothing before it is an error, unless it starts a `||`, which is said first.
  let unexpected: string | undefined
  const state: { open?: string } = {}
  for (const { text, quoted } of shellChars(command, state)) {
    const pipe = !quoted && text === '|'
    if (pipe && previous === '|') return { error: "'||' is not supported by this shell" }
    if (unexpected) return { error: unexpected }
    if (pipe) {
      if (current.trim() === '') unexpected = 'unexpected "|"'
      else stages.push(current.trim())
      current = ''
    } else current += text
    previous = quoted ? '' : text
  }
  if (unexpected) return { error: unexpected }
  if (state.open) return { error: `unterminated quoted string` }
  if (current.trim() === '') {
    if (stages.length > 0) return { error: 'unexpected end of file' }
    return ['']
  }
  stages.push(current.trim())
  return stages
}

/** Characters a backslash escapes inside double quotes (everything else keeps its backslash). */
const DOUBLE_QUOTE_ESCAPES = new Set(['"', '\\', '$', '`'])

/** Words of one command, quotes and escapes removed; a `>` word (or `>file`) marks the redirection target. */
export function tokenize(command: string): { words: string[]; redirect?: string } {
  const words: string[] = []
  let redirect: string | undefined
  let current = ''
  let quote: string | undefined
  let started = false
  let toRedirect = false
  const push = (): void => {
    if (!started) return
    if (toRedirect) {
      redirect = current
      toRedirect = false
    } else words.push(current)
    current = ''
    started = false
  }
  for (let i = 0; i < command.length; i++) {
    const ch = command[i] as string
    const next = command[i + 1]
    if (ch === '\\' && quote !== "'" && next !== undefined) {
      if (quote === '"' && !DOUBLE_QUOTE_ESCAPES.has(next)) current += ch
      current += next
      started = true
      i++
    } else if (quote) {
      if (ch === quote) quote = undefined
      else current += ch
    } else if (ch === '"' || ch === "'") {
      quote = ch
      started = true
    } else if (/\s/.test(ch)) push()
    else if (ch === '>') {
      push()
      toRedirect = true
    } else {
      current += ch
      started = true
    }
  }
  push()
  return { words, redirect }
}
