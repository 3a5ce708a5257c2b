import type { SourceFacts } from '../../src-main/catalog/import/catalog-builder'

/** The source scan's drivers, objects and Kconfig as the catalog builder takes them. */
export function sourceFacts(
  _root: string,
  _series: string,
  _config: string,
): SourceFacts | undefined {
  return undefined
}
