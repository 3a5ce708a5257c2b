import type { BuiltinProfile } from '../../hardware/builtin-profiles'
import {
  countCpus,
  countNodes,
  memorySize,
  stringList,
  stringValue,
} from '../../hardware/devicetree'
import type { ProfileSummary } from '../contract'

export function summarizeProfile({ file, tree }: BuiltinProfile): ProfileSummary {
  return {
    id: file.id,
    name: file.name,
    description: file.description,
    model: stringValue(tree.root, 'model') ?? '',
    compatible: stringList(tree.root.properties.find((property) => property.name === 'compatible')),
    nodeCount: countNodes(tree.root),
    cpuCount: countCpus(tree),
    memoryBytes: Number(memorySize(tree)),
    bootargs: file.bootargs,
    builtIn: true,
    source: file.source,
  }
}

export function createProfilesService(profiles: readonly BuiltinProfile[]) {
  const summaries = profiles.map(summarizeProfile)
  return {
    'profiles:list': () => summaries,
  }
}
