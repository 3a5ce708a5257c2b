import { formatTimestamp } from '../../kernel/dmesg-format'
import { PAGE_SIZES } from '../../analysis/memory'
import { usesText } from '../../analysis/whatif-types'
import type {
  BoardWhatIf,
  DeviceOutcome,
  MemoryTable,
  WhatIfResult,
} from '../../analysis/whatif-types'

const seconds = (ns: number | null) =>
  ns === null ? 'never' : `${formatTimestamp(ns).slice(1, -1).trim()} s`

const kib = (bytes: number) => `${(bytes / 1024).toFixed(1)} KiB`

function state(outcome: DeviceOutcome | undefined): string {
  if (!outcome) return 'absent'
  const by = outcome.driver ? ` (${outcome.driver})` : ''
  const why = outcome.detail ? `: ${outcome.detail}` : ''
  const late = outcome.afterTimeout ? ', without its supplier after the deferred-probe timeout' : ''
  const declared = outcome.ofDeclared ? ', initialised by its *_OF_DECLARE at boot' : ''
  return `${outcome.state}${by}${why}${late}${declared}`
}

function boardText(board: BoardWhatIf): string[] {
  const { diff } = board
  const lines = [
    `boot A -> boot B on ${board.board}: ${board.outcome.before} -> ${board.outcome.after}`,
  ]
  const delta =
    diff.initNs.before !== null && diff.initNs.after !== null
      ? ` (${diff.initNs.after >= diff.initNs.before ? '+' : '-'}${(Math.abs(diff.initNs.after - diff.initNs.before) / 1e6).toFixed(3)} ms)`
      : ''
  lines.push(
    `  /init started: ${seconds(diff.initNs.before)} -> ${seconds(diff.initNs.after)}${delta}`,
  )
  if (diff.devices.length === 0) lines.push('  devices: no device ends in another state')
  for (const change of diff.devices)
    lines.push(`  device ${change.device}: ${state(change.before)} -> ${state(change.after)}`)
  for (const move of diff.probeOrder)
    lines.push(`  probe order: ${move.device} bound ${move.before}th -> ${move.after}th`)
  if (diff.modules.loaded.length > 0)
    lines.push(`  modules loaded: ${diff.modules.loaded.join(' ')}`)
  if (diff.modules.unloaded.length > 0)
    lines.push(`  modules no longer loaded: ${diff.modules.unloaded.join(' ')}`)
  for (const name of diff.heaps?.added ?? [])
    lines.push(`  heap ${name}: /dev/dma_heap/${name} only in boot B`)
  for (const name of diff.heaps?.missing ?? [])
    lines.push(`  heap ${name}: /dev/dma_heap/${name} missing from boot B`)
  for (const attempt of board.unload) {
    const said = attempt.output.trim() || (attempt.exitCode === 0 ? 'unloaded' : '')
    lines.push(`  rmmod ${attempt.module}: exit ${attempt.exitCode}${said ? `: ${said}` : ''}`)
    for (const line of attempt.kernelLines) lines.push(`    ${line}`)
  }
  lines.push(
    diff.dmesg === ''
      ? '  dmesg: identical, timestamps set aside'
      : `  dmesg (timestamps set aside): +${diff.added} -${diff.removed} lines`,
  )
  if (diff.dmesg !== '')
    lines.push(
      ...diff.dmesg
        .trimEnd()
        .split('\n')
        .map((line) => `    ${line}`),
    )
  return lines
}

function memoryText(symbol: string, table: MemoryTable): string[] {
  const pages = PAGE_SIZES.map((page) => `module ${page / 1024}K`)
  const header = ['board', 'uses', 'built in', ...pages, 'freed if unused']
  const rows = table.boards.map((row) => [
    row.board,
    usesText(row),
    kib(row.builtin),
    ...PAGE_SIZES.map((page) => kib(row.module[page] ?? 0)),
    kib(row.freeIfUnused),
  ])
  rows.push([
    'all boards',
    '',
    kib(table.totals.builtin),
    ...PAGE_SIZES.map((page) => kib(table.totals.module[page] ?? 0)),
    kib(table.totals.freeIfUnused),
  ])
  const widths = header.map((cell, column) =>
    Math.max(cell.length, ...rows.map((row) => (row[column] ?? '').length)),
  )
  const line = (cells: string[]) =>
    `  ${cells
      .map((cell, column) => cell.padEnd(widths[column] ?? 0))
      .join('  ')
      .trimEnd()}`
  return [`memory of ${symbol} (${table.sizes.source}):`, line(header), ...rows.map(line)]
}

/** The what-if as a terminal shows it: the verdict, each board's A/B, the memory table. */
export function whatIfText(result: WhatIfResult): string {
  const lines: string[] = []
  const series = result.series.length > 0 ? ` + ${result.series.join(' + ')}` : ''
  for (const verdict of result.verdicts) {
    lines.push(
      `${verdict.symbol}=${verdict.change} on ${result.kernel}${series}: ${verdict.builds ? 'builds' : 'would not build as asked'}`,
    )
    for (const item of verdict.items)
      lines.push(
        `  ${item.severity.padEnd(7)} ${item.area.padEnd(12)} ${item.message} [${item.source}]`,
      )
  }
  if (result.refused) lines.push('', `boot ${result.refusedBoot ?? 'B'} refused: ${result.refused}`)
  if (result.baseline)
    lines.push(
      '',
      `boot A builds in ${Object.keys(result.baseline).join(', ')}: ${result.kernel} leaves the module-to-be out altogether`,
    )
  for (const board of result.boards) lines.push('', ...boardText(board))
  for (const { symbol, table } of result.memory.tables) lines.push('', ...memoryText(symbol, table))
  for (const { symbol, reason } of result.memory.unknown)
    lines.push('', `memory of ${symbol}: unknown, ${reason}`)
  const { together } = result.memory
  if (together)
    lines.push(
      '',
      ...memoryText(`all ${result.memory.tables.length} together, one module each`, together),
    )
  if (result.memory.splitCost)
    lines.push(
      '',
      `one module each instead of one for all costs ${PAGE_SIZES.map((page) => `${kib(result.memory.splitCost?.[page] ?? 0)} (${page / 1024}K pages)`).join(', ')} per board that loads them`,
    )
  return `${lines.join('\n')}\n`
}

/** Why the answer is no, for stderr: the verdict's errors and the boards that no longer reach /init. */
export function whatIfReasons(result: WhatIfResult): string[] {
  const reasons = result.verdicts.flatMap((verdict) =>
    verdict.items
      .filter((item) => item.severity === 'error')
      .map((item) => `${verdict.symbol}: ${item.message}`),
  )
  if (result.refused) reasons.push(`boot ${result.refusedBoot ?? 'B'}: ${result.refused}`)
  for (const board of result.boards)
    if (board.diff.initNs.after === null)
      reasons.push(`${board.board}: boot B never reaches /init (${board.outcome.after})`)
  return reasons
}
