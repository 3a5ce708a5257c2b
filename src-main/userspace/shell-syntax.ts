/**
 * The part of busybox ash's grammar the kernel shell speaks: `;` and newlines between commands,
 * `#` comments, `|` between the commands of a pipeline, `>` redirection, single and double quotes
 * and backslash escapes.
 */

/** Splits a script into commands at `;` and newlines, outside quotes; `#` starts a comment. */
export function splitCommands(script: string): string[] {
  const commands: string[] = []
  let current = ''
  let quote: string | undefined
  for (let i = 0; i < script.length; i++) {
    const ch = script[i] as string
    if (ch === '\\' && quote !== "'" && i + 1 < script.length) {
      // An escaped character is kept as written (tokenize removes the backslash) but never splits.
      current += ch + (script[++i] as string)
    } else if (quote) {
      if (ch === quote) quote = undefined
      current += ch
    } else if (ch === '"' || ch === "'") {
      quote = ch
      current += ch
    } else if (ch === '#' && (current === '' || /\s$/.test(current))) {
      while (i < script.length && script[i] !== '\n') i++
      commands.push(current)
      current = ''
    } else if (ch === ';' || ch === '\n') {
      commands.push(current)
      current = ''
    } else current += ch
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
  let quote: string | undefined
  for (let i = 0; i < command.length; i++) {
    const ch = command[i] as string
    if (ch === '\\' && quote !== "'" && i + 1 < command.length) {
      current += ch + (command[++i] as string)
    } else if (quote) {
      if (ch === quote) quote = undefined
      current += ch
    } else if (ch === '"' || ch === "'") {
      quote = ch
      current += ch
    } else if (ch === '|') {
      if (command[i + 1] === '|') return { error: "'||' is not supported by this shell" }
      if (current.trim() === '') return { error: 'unexpected "|"' }
      stages.push(current.trim())
      current = ''
    } else current += ch
  }
  if (quote) return { error: `unterminated quoted string` }
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
