import { computed, ref, watch, type Ref } from 'vue'
import type { NodePath } from './edits'

/** Back and forward through the nodes shown, as a browser does through pages. */
export function useVisits(selected: Ref<NodePath>) {
  const visits = ref<NodePath[]>([])
  const at = ref(-1)
  let moving = false
  watch(
    selected,
    (path) => {
      if (moving) {
        moving = false
        return
      }
      if (visits.value[at.value] === path) return
      visits.value = [...visits.value.slice(0, at.value + 1), path]
      at.value = visits.value.length - 1
    },
    { immediate: true },
  )
  function go(step: number) {
    const target = visits.value[at.value + step]
    if (target === undefined) return
    at.value += step
    if (target === selected.value) return
    moving = true
    selected.value = target
  }
  return {
    canBack: computed(() => at.value > 0),
    canForward: computed(() => at.value < visits.value.length - 1),
    back: () => go(-1),
    forward: () => go(1),
  }
}
