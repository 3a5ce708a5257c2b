import type { BootResult, KernelSummary } from '@api/contract'
import { defineStore } from 'pinia'
import { computed, ref, shallowRef } from 'vue'
import { describeError, modlab } from '../api'

/** How fast simulated time passes on screen; `instant` shows the whole boot at once. */
export const PACES = { instant: 0, '10×': 10, '1×': 1, '0.1×': 0.1 } as const
export type Pace = keyof typeof PACES

export const useLabStore = defineStore('lab', () => {
  const kernels = ref<KernelSummary[]>([])
  const profile = ref('')
  const kernel = ref('')
  const cmdline = ref('')
  const seed = ref(0)
  /** Comma-separated fault specs: `pl061_gpio:defer:3, rtc-pl031:fail:EIO`. */
  const faults = ref('')
  const pace = ref<Pace>('10×')
  const sessionId = ref<number>()
  const result = shallowRef<BootResult>()
  /** How many records the console shows so far. */
  const revealed = ref(0)
  /** Simulated time shown so far, in ns. */
  const shownNs = ref(0)
  const booting = ref(false)
  const paused = ref(false)
  const error = ref('')
  let frame = 0
  let lastFrame = 0

  const playing = computed(() => !!result.value && revealed.value < result.value.records.length)

  async function loadKernels() {
    try {
      kernels.value = await modlab.kernels.list()
      kernel.value ||= kernels.value[0]?.id ?? ''
    } catch (failure) {
      error.value = describeError(failure)
    }
  }

  async function boot() {
    stop()
    booting.value = true
    error.value = ''
    try {
      const booted = await modlab.lab.boot({
        ...(sessionId.value ? { sessionId: sessionId.value } : {}),
        profile: profile.value,
        kernel: kernel.value,
        cmdline: cmdline.value,
        seed: seed.value,
        faults: faults.value
          .split(',')
          .map((spec) => spec.trim())
          .filter(Boolean),
      })
      sessionId.value = booted.sessionId
      result.value = booted
      revealed.value = 0
      shownNs.value = 0
      paused.value = false
      start()
    } catch (failure) {
      error.value = describeError(failure)
    } finally {
      booting.value = false
    }
  }

  function start() {
    lastFrame = performance.now()
    frame = requestAnimationFrame(tick)
  }

  /** One batch a frame: everything whose timestamp the on-screen clock has reached. */
  function tick(now: number) {
    const records = result.value?.records ?? []
    const speed = PACES[pace.value]
    if (speed === 0) {
      revealed.value = records.length
      shownNs.value = records.at(-1)?.ns ?? 0
    } else {
      shownNs.value += (now - lastFrame) * 1e6 * speed
      let count = revealed.value
      while (count < records.length && (records[count]?.ns ?? 0) <= shownNs.value) count++
      revealed.value = count
    }
    lastFrame = now
    if (revealed.value < records.length) frame = requestAnimationFrame(tick)
  }

  function stop() {
    cancelAnimationFrame(frame)
  }

  function pause() {
    stop()
    paused.value = true
  }

  function resume() {
    paused.value = false
    start()
  }

  /** The same inputs again, into the same session. */
  const reboot = boot

  function newSession() {
    sessionId.value = undefined
  }

  return {
    kernels,
    profile,
    kernel,
    cmdline,
    seed,
    faults,
    pace,
    sessionId,
    result,
    revealed,
    shownNs,
    booting,
    paused,
    playing,
    error,
    loadKernels,
    boot,
    reboot,
    pause,
    resume,
    stop,
    newSession,
  }
})
