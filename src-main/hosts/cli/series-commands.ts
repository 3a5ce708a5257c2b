import { join } from 'node:path'
import { loadSeries, SeriesError } from '../../catalog/series/series-loader'
import type { SeriesChange, SeriesDefinition } from '../../catalog/series/series-schema'
import { mergeText } from '../../api/services/whatif-service'
import { appRoot } from '../../paths'
import type { Command } from './commands'
import { UserError } from './errors'
import { asJson, json, table } from './format'

function shipped(): SeriesDefinition[] {
  try {
    return loadSeries(join(appRoot(), 'resources', 'series'))
  } catch (error) {
    if (error instanceof SeriesError) throw new UserError(error.message)
    throw error
  }
}

/** One change as a line: `export sched_clock_register (GPL)`, `tristate CONFIG_MTK_TIMER`... */
export function changeText(change: SeriesChange): string {
  switch (change.kind) {
    case 'export':
      return `export ${change.symbol} (${change.gpl ? 'GPL' : 'not GPL'}${change.namespace ? `, namespace ${change.namespace}` : ''})`
    case 'remove_init':
      return `${change.section} removed from ${change.symbol} (${change.file})`
    case 'kconfig_tristate': {
      const modules = change.modules.map(
        (module) => `${module.name}${module.hasExit ? '' : ' [permanent]'}`,
      )
      return `tristate ${change.symbol}${modules.length > 0 ? ` → ${modules.join(', ')}` : ''}`
    }
    case 'kconfig_unselect':
      return `${change.by} no longer selects ${change.symbol}`
    case 'registration':
      return `${change.module}: ${change.from} → ${change.to}(${change.name})${change.when === 'module' ? ' as a module only' : ''}`
    case 'module_owner':
      return `.owner = THIS_MODULE on ${change.module}'s ${change.object}`
    case 'module_exit':
      return `${change.module}: module_exit ${change.present ? 'added' : 'absent ([permanent])'}`
    case 'code':
      return `${change.file}: ${change.summary} (not simulated)`
  }
}

const listCommand: Command = {
  path: ['series', 'list'],
  summary: 'List the upstream patch series a boot can apply (--series NAME)',
  usage: 'modlab series list [--json]',
  options: json,
  positionals: [],
  run: async (_request, { values }) => {
    const all = shipped()
    if (values.json) return asJson(all)
    return table(
      ['NAME', 'POSTED', 'MERGED', 'APPLIES TO', 'TITLE'],
      all.map((series) => [
        series.name,
        `${series.source.date} ${series.source.version}`,
        mergeText(series),
        series.appliesTo.join(', ') || '(none)',
        series.title,
      ]),
    )
  },
}

const showCommand: Command = {
  path: ['series', 'show'],
  summary: 'Show a patch series: its source, merge state, changes and notes',
  usage: 'modlab series show NAME [--json]',
  options: json,
  positionals: ['NAME'],
  run: async (_request, { values, positionals: [name] }) => {
    const all = shipped()
    const series = all.find((candidate) => candidate.name === name)
    if (!series)
      throw new UserError(
        `unknown series "${name}"; known: ${all.map((candidate) => candidate.name).join(', ')}`,
      )
    if (values.json) return asJson(series)
    const { source } = series
    const lines = [
      `${series.name}: ${series.title}`,
      `  posted     ${source.date} ${source.version} by ${source.author} to ${source.list}`,
      `  message-id <${source.messageId}>`,
      ...(source.url ? [`  url        ${source.url}`] : []),
      `  merged     ${mergeText(series)}: ${series.merged.evidence}`,
      `  applies to ${series.appliesTo.join(', ') || `(none) ${series.notApplicable ?? ''}`}`,
      '  patches',
      ...source.patches.map(
        (subject, index) => `    ${index + 1}/${source.patches.length} ${subject}`,
      ),
      ...series.prerequisites.flatMap((prerequisite) => [
        `  prerequisite: ${prerequisite.summary}`,
        `    (${prerequisite.source})`,
        ...prerequisite.changes.map((change) => `    ${changeText(change)}`),
      ]),
      '  changes',
      ...series.changes.map((change) => `    [${change.patch}] ${changeText(change)}`),
      ...(series.notes.length > 0
        ? ['  notes', ...series.notes.map((note) => `    - ${note}`)]
        : []),
    ]
    return lines.join('\n') + '\n'
  },
}

export const SERIES_COMMANDS: Command[] = [listCommand, showCommand]
