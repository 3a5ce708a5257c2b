import type { LayoutInput, LayoutResult } from './layout'

let worker: Worker | undefined
let next = 0
const waiting = new Map<
  number,
  { resolve: (r: LayoutResult) => void; reject: (e: Error) => void }
>()

function layoutWorker(): Worker {
  if (!worker) {
    worker = new Worker(new URL('./layout.worker.ts', import.meta.url), { type: 'module' })
    worker.onmessage = (
      message: MessageEvent<{ id: number; result?: LayoutResult; error?: string }>,
    ) => {
      const { id, result, error } = message.data
      const pending = waiting.get(id)
      waiting.delete(id)
      if (result) pending?.resolve(result)
      else pending?.reject(new Error(error ?? 'the layout failed'))
    }
  }
  return worker
}

/** Lays a graph out on a Web Worker; the newest request wins, an older one's answer still arrives. */
export function layoutOffThread(input: LayoutInput): Promise<LayoutResult> {
  return new Promise((resolve, reject) => {
    const id = ++next
    waiting.set(id, { resolve, reject })
    layoutWorker().postMessage({ id, input })
  })
}
