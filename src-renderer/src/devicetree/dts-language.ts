import { HighlightStyle, StreamLanguage, type StreamParser } from '@codemirror/language'
import { EditorView } from '@codemirror/view'
import { tags } from '@lezer/highlight'

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

/** Colours from the app's theme (custom properties reach into the editor's shadow root). */
export const devicetreeHighlight = HighlightStyle.define([
  { tag: tags.comment, color: 'var(--code-comment)', fontStyle: 'italic' },
  { tag: tags.string, color: 'var(--code-string)' },
  { tag: [tags.keyword, tags.meta], color: 'var(--code-keyword)' },
  { tag: [tags.link, tags.labelName], color: 'var(--code-label)' },
  { tag: tags.number, color: 'var(--code-number)' },
  { tag: tags.typeName, color: 'var(--code-node)', fontWeight: '600' },
  { tag: tags.propertyName, color: 'var(--code-property)' },
])

/** The editor's surfaces in the app's colours, light and dark. */
export const devicetreeTheme = EditorView.theme({
  '&': { height: '100%', color: 'var(--text)', backgroundColor: 'var(--surface)' },
  '.cm-scroller': { fontFamily: 'var(--mono)' },
  '.cm-content': { caretColor: 'var(--text)' },
  '.cm-cursor': { borderLeftColor: 'var(--text)' },
  '.cm-gutters': {
    backgroundColor: 'var(--surface-2)',
    color: 'var(--muted)',
    borderRight: '1px solid var(--border)',
  },
  '&.cm-focused .cm-selectionBackground, .cm-selectionBackground': {
    backgroundColor: 'var(--accent-soft)',
  },
  '.cm-activeLine': { backgroundColor: 'transparent' },
})
