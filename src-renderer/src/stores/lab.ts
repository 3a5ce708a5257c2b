import type {
  BootResult,
  DeviceInfo,
  KernelRecord,
  KernelSummary,
  LabStreamBatch,
  ShellResult,
} from '@api/contract'
import { defineStore } from 'pinia'
import { computed, ref, shallowRef, triggerRef } from 'vue'
import { describeError, modlab } from '../api'
import { useSessionsStore } from './sessions'

/** How fast simulated time passes on screen; `instant` shows the whole boot at once. */
export const PACES = { instant: 0, '10×': 10, '1×': 1, '0.1×': 0.1 } as const
export type Pace = keyof typeof PACES

export const useLabStore = defineStore('lab', () => {
  const sessions = useSessionsStore()
  const kernels = ref<KernelSummary[]>([])
  const profile = ref('')
  const kernel = ref('')
  const cmdline = ref('')
  const seed = ref(0)
  /** Comma-separated fault specs: `pl061_gpio:defer:3, rtc-pl031:fail:EIO`. */
  const faults = ref('')
  const pace = ref<Pace>('10×')
  /** A device another view asked the Devices panel to show (the what-if's changed devices). */
  const focusDevice = ref('')
  /** A dmesg line another view asked the console to show (a line of the what-if's boot B). */
  const focusLine = ref<{ line: number; text: string }>()
  const result = shallowRef<BootResult>()
  /** The records main has pushed so far; appended to in place, batch by batch. */
  const records = shallowRef<KernelRecord[]>([])
  /** The devices main has pushed so far, and how many (the array is appended to in place). */
  const devices = shallowRef<DeviceInfo[]>([])
  const devicesLoaded = ref(0)
  /** The watch whose batches are taken (0: none); main numbers them, a new one ends the last. */
  let watching = 0
  /** Main is still pushing the boot shown (or a watch is being asked for). */
  const streaming = ref(false)
  let unlisten: (() => void) | undefined
  /** How many records the console shows so far. */
  const revealed = ref(0)
  /** Simulated time shown so far, in ns. */
  const shownNs = ref(0)
  const booting = ref(false)
  const paused = ref(false)
  const error = ref('')
  let frame = 0
  let lastFrame = 0

  const playing = computed(() => !!result.value && revealed.value < result.value.recordCount)
  /** When the next line is more than a second of simulated time away: the kernel is waiting, until then. */
  const quietUntilNs = computed(() => {
    if (!playing.value || PACES[pace.value] === 0) return undefined
    const next = records.value[revealed.value]
    return next && next.ns - shownNs.value > 1e9 ? next.ns : undefined
  })

  async function loadKernels() {
    try {
      kernels.value = await modlab.kernels.list()
      kernel.value ||= kernels.value[0]?.id ?? ''
    } catch (failure) {
      error.value = describeError(failure)
    }
  }

  /** Boots the chosen board; `variant` changes the kernel for this boot only (a what-if's boot B). */
  async function boot(
    variant: { series?: string[]; config?: Record<string, 'y' | 'm' | 'n' | 'free'> } = {},
  ) {
    stop()
    watching = 0
    streaming.value = false
    error.value = ''
    // A boot is recorded in the session the user chose: the Lab never starts one by itself.
    const sessionId = sessions.currentId
    if (!sessionId) {
      error.value =
        'No session is chosen: start one with “New session” in the sidebar, or choose one on the Sessions page'
      return
    }
    booting.value = true
    try {
      const booted = await modlab.lab.boot({
        sessionId,
        profile: profile.value,
        kernel: kernel.value,
        cmdline: cmdline.value,
        seed: seed.value,
        faults: faults.value
          .split(',')
          .map((spec) => spec.trim())
          .filter(Boolean),
        ...variant,
      })
      void sessions.load()
      records.value = [...booted.records]
      devices.value = [...booted.devices]
      devicesLoaded.value = booted.devices.length
      result.value = booted
      revealed.value = 0
      shownNs.value = 0
      paused.value = false
      void watch()
      start()
    } catch (failure) {
      error.value = describeError(failure)
    } finally {
      booting.value = false
    }
  }

  function start() {
    stop()
    lastFrame = performance.now()
    frame = requestAnimationFrame(tick)
  }

  /** Whether main has more of the boot shown than the page has. */
  function incomplete(boot: BootResult) {
    return records.value.length < boot.recordCount || devices.value.length < boot.deviceCount
  }

  /** Asks main to push the rest of the boot shown, from what the page has. */
  async function watch() {
    const boot = result.value
    if (!boot || !incomplete(boot)) return
    unlisten ??= modlab.onEvent('lab:stream', take)
    streaming.value = true
    watching = 0
    try {
      const started = await modlab.lab.watch({
        bootId: boot.bootId,
        from: records.value.length,
        devicesFrom: devices.value.length,
      })
      if (result.value !== boot) return
      watching = started.watch
      // A boot modlab no longer runs streams its log but no devices: stop waiting for them.
      if (started.deviceCount < boot.deviceCount)
        result.value = { ...boot, deviceCount: started.deviceCount }
    } catch (failure) {
      streaming.value = false
      if (result.value === boot) error.value = describeError(failure)
    }
  }

  /** A batch main pushed: appended where it continues what the page has, dropped otherwise. */
  function take(batch: LabStreamBatch) {
    const boot = result.value
    if (!boot || batch.watch !== watching || batch.bootId !== boot.bootId) return
    const loaded = records.value
    const skip = loaded.length - batch.from
    if (skip >= 0 && skip < batch.records.length) {
      loaded.push(...batch.records.slice(skip))
      triggerRef(records)
    }
    const have = devices.value
    const skipDevices = have.length - batch.devicesFrom
    if (skipDevices >= 0 && skipDevices < batch.devices.length) {
      have.push(...batch.devices.slice(skipDevices))
      devicesLoaded.value = have.length
      triggerRef(devices)
    }
    if (batch.done) {
      streaming.value = false
      watching = 0
    }
  }

  /** One batch a frame: everything fetched whose timestamp the on-screen clock has reached. */
  function tick(now: number) {
    const loaded = records.value
    const speed = PACES[pace.value]
    if (speed === 0) {
      revealed.value = loaded.length
      shownNs.value = loaded.at(-1)?.ns ?? 0
    } else {
      shownNs.value += (now - lastFrame) * 1e6 * speed
      let count = revealed.value
      while (count < loaded.length && (loaded[count]?.ns ?? 0) <= shownNs.value) count++
      revealed.value = count
    }
    lastFrame = now
    const boot = result.value
    if (boot && (revealed.value < boot.recordCount || streaming.value)) {
      frame = requestAnimationFrame(tick)
    }
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

  /**
   * The Lab view came back: a boot still being shown carries on where it was, and main pushes
   * whatever the page still lacks (a stream cut while away, by a lost connection, resumes).
   */
  function viewShown() {
    const boot = result.value
    if (boot && incomplete(boot)) void watch()
    if (playing.value && !paused.value) start()
  }

  /** The same inputs again, into the same session. */
  const reboot = boot

  /** Kernel lines a shell command caused, and the devices after it: the console and panel follow. */
  function applyShell(shell: ShellResult) {
    const boot = result.value
    if (!boot) return
    // The devices are the shell's now: batches of the list before it no longer fit.
    watching = 0
    streaming.value = false
    const added = shell.results.flatMap((command) => command.kernelRecords)
    records.value.push(...added)
    triggerRef(records)
    result.value = {
      ...boot,
      recordCount: records.value.length,
      lastNs: records.value.at(-1)?.ns ?? boot.lastNs,
      deviceCount: shell.deviceCount,
    }
    revealed.value = records.value.length
    shownNs.value = result.value.lastNs
    devices.value = [...shell.devices]
    devicesLoaded.value = shell.devices.length
    void watch()
  }

  return {
    focusDevice,
    focusLine,
    kernels,
    profile,
    kernel,
    cmdline,
    seed,
    faults,
    pace,
    result,
    records,
    devices,
    devicesLoaded,
    revealed,
    shownNs,
    booting,
    paused,
    playing,
    streaming,
    quietUntilNs,
    error,
    loadKernels,
    boot,
    reboot,
    pause,
    resume,
    stop,
    viewShown,
    applyShell,
  }
})
