/** dagre off the page's thread: a big graph takes seconds to lay out, the page stays responsive. */
import { layoutGraph, type LayoutInput } from './layout'

const scope = self as unknown as {
  onmessage: (message: MessageEvent<{ id: number; input: LayoutInput }>) => void
  postMessage(data: unknown): void
}

scope.onmessage = (message) => {
  const { id, input } = message.data
  try {
    scope.postMessage({ id, result: layoutGraph(input) })
  } catch (error) {
    scope.postMessage({ id, error: String(error) })
  }
}
