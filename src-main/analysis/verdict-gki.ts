import { GKI_BRANCH, gkiModule, gkiSource, kmiListsContaining } from '../catalog/gki'
import type { NeededSymbols } from './verdict-symbols'
import type { VerdictItem } from './whatif-types'

/** Where the lists were read (each file's commit is in resources/gki/<branch>/provenance.json). */
const listsSource = () =>
  `${GKI_BRANCH} gki/aarch64/symbols/*, modules.bzl (${gkiSource().repository})`

/**
 * Android's Generic Kernel Image: a module GKI builds itself (modules.bzl) is signed with the
 * kernel and may use any export; any other is a vendor module, which may use only the symbols
 * the KMI symbol lists name (a trimmed GKI kernel does not export the rest, so it would not load).
 */
export function gkiVerdict(module: string, needed: NeededSymbols | undefined): VerdictItem[] {
  const source = listsSource()
  const item = (
    severity: VerdictItem['severity'],
    code: string,
    subject: string,
    message: string,
  ) => ({ area: 'gki', severity, code, message, source, subject }) satisfies VerdictItem
  if (gkiModule(module))
    return [
      item(
        'info',
        'gki-module',
        module,
        `${module} is a GKI module (modules.bzl): built and signed with the GKI kernel, it is not limited to the KMI`,
      ),
    ]
  const items: VerdictItem[] = [
    item(
      'info',
      'vendor-module',
      module,
      `${module} is not a GKI module: on Android it would be a vendor module, limited to the symbols of the KMI lists`,
    ),
  ]
  if (!needed) return items
  const listed: string[] = []
  const unlisted: string[] = []
  for (const symbol of [...needed.symbols].sort()) {
    const lists = kmiListsContaining(symbol)
    if (lists.length > 0) listed.push(`${symbol} (${lists.join(', ')})`)
    else unlisted.push(symbol)
  }
  if (unlisted.length > 0)
    items.push(
      item(
        'warning',
        'not-in-kmi',
        unlisted.join(', '),
        `${unlisted.length === 1 ? 'This symbol is' : `These ${unlisted.length} symbols are`} in no KMI symbol list of ${GKI_BRANCH}, so a vendor module using them does not load on a GKI kernel until a list adds them: ${unlisted.join(', ')}`,
      ),
    )
  if (listed.length > 0)
    items.push(item('info', 'in-kmi', module, `in the KMI lists: ${listed.join('; ')}`))
  return items
}
