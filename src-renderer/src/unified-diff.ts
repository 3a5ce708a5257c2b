/** One line of one side: its number in that text and how it differs. */
export interface DiffCell {
  line: number
  text: string
  kind: 'same' | 'del' | 'add'
}

/** A row of a side-by-side diff: a hunk header, or a line on the left, the right or both. */
export type DiffRow = { hunk: string } | { left?: DiffCell; right?: DiffCell }

const HUNK = /^@@ -(\d+)(?:,\d+)? \+(\d+)(?:,\d+)? @@/

/**
 * A unified diff (`diff -u`, as `sessions:diff` and the what-if give it) as side-by-side rows:
 * context on both sides, and each run of removed lines beside the run of added lines after it.
 * The `---`/`+++` header and anything before the first hunk are left out.
 */
export function sideBySide(unified: string): DiffRow[] {
  const rows: DiffRow[] = []
  let left = 0
  let right = 0
  let removed: DiffCell[] = []
  let added: DiffCell[] = []
  let inHunk = false
  const flush = () => {
    for (let index = 0; index < Math.max(removed.length, added.length); index++)
      rows.push({
        ...(removed[index] ? { left: removed[index] } : {}),
        ...(added[index] ? { right: added[index] } : {}),
      })
    removed = []
    added = []
  }
  for (const line of unified.split('\n')) {
    const hunk = HUNK.exec(line)
    if (hunk) {
      flush()
      left = Number(hunk[1])
      right = Number(hunk[2])
      rows.push({ hunk: line })
      inHunk = true
      continue
    }
    if (!inHunk) continue
    if (line.startsWith('-')) removed.push({ line: left++, text: line.slice(1), kind: 'del' })
    else if (line.startsWith('+')) added.push({ line: right++, text: line.slice(1), kind: 'add' })
    else if (line.startsWith(' ')) {
      flush()
      const text = line.slice(1)
      rows.push({
        left: { line: left++, text, kind: 'same' },
        right: { line: right++, text, kind: 'same' },
      })
    }
    // "\ No newline at end of file" and the trailing empty line carry no line of either side.
  }
  flush()
  return rows
}
