import { ref, type Ref } from 'vue'

export interface Transform {
  x: number
  y: number
  k: number
}

/** Wheel zoom around the pointer and drag to pan, for an SVG whose content is one transformed group. */
export function usePanZoom(svg: Ref<SVGSVGElement | undefined>, ignore: string) {
  const transform = ref<Transform>({ x: 0, y: 0, k: 1 })
  const local = (event: MouseEvent) => {
    const box = svg.value?.getBoundingClientRect()
    return { x: event.clientX - (box?.left ?? 0), y: event.clientY - (box?.top ?? 0) }
  }

  function zoom(factor: number, cx?: number, cy?: number) {
    const box = svg.value?.getBoundingClientRect()
    const { x, y, k } = transform.value
    const px = cx ?? (box?.width ?? 0) / 2
    const py = cy ?? (box?.height ?? 0) / 2
    const next = Math.min(4, Math.max(0.05, k * factor))
    transform.value = { k: next, x: px - ((px - x) * next) / k, y: py - ((py - y) * next) / k }
  }

  function onWheel(event: WheelEvent) {
    event.preventDefault()
    const at = local(event)
    zoom(Math.exp(-event.deltaY * 0.0015), at.x, at.y)
  }

  let drag: { x: number; y: number; from: Transform } | undefined
  function onPointerDown(event: PointerEvent) {
    // A press on a node is the node's (a click), not the start of a pan.
    if ((event.target as Element).closest(ignore)) return
    drag = { x: event.clientX, y: event.clientY, from: transform.value }
    svg.value?.setPointerCapture(event.pointerId)
  }
  function onPointerMove(event: PointerEvent) {
    if (!drag) return
    transform.value = {
      ...drag.from,
      x: drag.from.x + event.clientX - drag.x,
      y: drag.from.y + event.clientY - drag.y,
    }
  }
  function onPointerUp() {
    drag = undefined
  }

  return { transform, zoom, onWheel, onPointerDown, onPointerMove, onPointerUp }
}
