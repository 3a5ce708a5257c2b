import { boardRam } from '../../hardware/board-facts'
import {
  countCpus,
  countNodes,
  stringList,
  stringValue,
  type DeviceTree,
} from '../../hardware/devicetree'
import { memoryFor } from '../../hardware/memory-fill'
import type { ProfileFile } from '../../hardware/profile-schema'
import type { ProfileSummary } from '../contract'

/** What a summary reads from the tree itself. */
export type TreeFacts = Pick<
  ProfileSummary,
  'model' | 'compatible' | 'nodeCount' | 'cpuCount' | 'memoryBytes' | 'memoryAssumed'
>

export function treeFacts(tree: DeviceTree, memory?: ProfileFile['memory']): TreeFacts {
  const ram = memoryFor(tree, memory)
  return {
    model: stringValue(tree.root, 'model') ?? '',
    compatible: stringList(tree.root.properties.find((property) => property.name === 'compatible')),
    nodeCount: countNodes(tree.root),
    cpuCount: countCpus(tree),
    memoryBytes: Number(boardRam(tree, ram.memory).size),
    ...(ram.assumed ? { memoryAssumed: true } : {}),
  }
}
