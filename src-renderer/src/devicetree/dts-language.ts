import { StreamLanguage, type StreamParser } from '@codemirror/language'

interface State {
  inComment: boolean
}

/** Devicetree source highlighting: comments, strings, directives, labels, references, numbers. */
const parser: StreamParser<State> = {
  name: 'devicetree',
  startState: () => ({ inComment: false }),
  token(stream, state) {
    if (state.inComment) {
      if (stream.skipTo('*/')) {
        stream.match('*/')
        state.inComment = false
      } else stream.skipToEnd()
      return 'comment'
    }
    if (stream.eatSpace()) return null
    if (stream.match('/*')) {
      state.inComment = true
      return 'comment'
    }
    if (stream.match('//')) {
      stream.skipToEnd()
      return 'comment'
    }
    if (
      stream.sol() &&
      stream.match(/^#\s*(include|define|undef|ifdef|ifndef|if|elif|else|endif|error)\b.*/)
    )
      return 'meta'
    if (stream.match(/^"(?:[^"\\]|\\.)*"?/)) return 'string'
    if (stream.match(/^'(?:[^'\\]|\\.)+'/)) return 'string'
    if (stream.match(/^\/[a-z0-9-]+\//)) return 'keyword'
    if (stream.match(/^&(?:\{[^}]*\}|[a-zA-Z_]\w*)/)) return 'link'
    if (stream.match(/^[a-zA-Z_]\w*:/)) return 'labelName'
    if (stream.match(/^(?:0x[0-9a-fA-F]+|\d+)\b/)) return 'number'
    if (stream.match(/^[a-zA-Z0-9,._+*#?@-]+(?=\s*\{)/)) return 'typeName'
    if (stream.match(/^[a-zA-Z0-9,._+*#?@-]+/)) return 'propertyName'
    stream.next()
    return null
  },
  languageData: { commentTokens: { line: '//', block: { open: '/*', close: '*/' } } },
}

export const devicetreeLanguage = StreamLanguage.define(parser)
