import { createTwoFilesPatch } from 'diff'
import { describe, expect, it } from 'vitest'
import { sideBySide } from '../../src-renderer/src/unified-diff'

const patch = (a: string, b: string) => createTwoFilesPatch('boot 1', 'boot 2', a, b)

describe('a unified diff side by side', () => {
  it('puts each run of removed lines beside the added run after it, with both sides numbered', () => {
    const a = 'Booting Linux\nrtc-pl031 9010000.pl031: registered as rtc0\nFreeing memory\n'
    const b =
      'Booting Linux\nrtc-pl031 9010000.pl031: probe with driver rtc-pl031 failed with error -5\nextra line\nFreeing memory\n'
    expect(sideBySide(patch(a, b))).toEqual([
      { hunk: '@@ -1,3 +1,4 @@' },
      {
        left: { line: 1, text: 'Booting Linux', kind: 'same' },
        right: { line: 1, text: 'Booting Linux', kind: 'same' },
      },
      {
        left: { line: 2, text: 'rtc-pl031 9010000.pl031: registered as rtc0', kind: 'del' },
        right: {
          line: 2,
          text: 'rtc-pl031 9010000.pl031: probe with driver rtc-pl031 failed with error -5',
          kind: 'add',
        },
      },
      { right: { line: 3, text: 'extra line', kind: 'add' } },
      {
        left: { line: 3, text: 'Freeing memory', kind: 'same' },
        right: { line: 4, text: 'Freeing memory', kind: 'same' },
      },
    ])
  })

  it('numbers lines from each hunk header, and leaves out the file header', () => {
    const a = Array.from({ length: 20 }, (_, i) => `line ${i + 1}\n`).join('')
    const b = a.replace('line 15\n', '').replace('line 2\n', 'line two\n')
    const rows = sideBySide(patch(a, b))
    expect(rows.filter((row) => 'hunk' in row)).toHaveLength(2)
    expect(rows).toContainEqual({ left: { line: 15, text: 'line 15', kind: 'del' } })
    expect(rows).toContainEqual({
      left: { line: 16, text: 'line 16', kind: 'same' },
      right: { line: 15, text: 'line 16', kind: 'same' },
    })
    expect(JSON.stringify(rows)).not.toContain('boot 1')
  })

  it('gives no rows for identical texts', () => {
    expect(sideBySide('')).toEqual([])
    expect(sideBySide(patch('same\n', 'same\n'))).toEqual([])
  })
})
