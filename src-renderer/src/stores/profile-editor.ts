import type { ProfileFinding, ProfileSummary } from '@api/contract'
import type { DeviceTree } from '@hardware/devicetree'
import { treeFromData, treeToData } from '@hardware/tree-data'
import { TreeChecker } from '@hardware/validate-incremental'
import { defineStore } from 'pinia'
import { computed, ref, shallowRef } from 'vue'
import { describeError, modlab } from '../api'
import type { NodePath } from '../devicetree/edits'

const HISTORY_LIMIT = 200

interface Meta {
  name: string
  description: string
  bootargs: string
}

/** One profile open in the editor: its tree, undo and redo across tree and source edits, checks. */
export const useProfileEditorStore = defineStore('profileEditor', () => {
  const summary = ref<ProfileSummary>()
  const tree = shallowRef<DeviceTree>()
  const saved = shallowRef<DeviceTree>()
  const meta = ref<Meta>({ name: '', description: '', bootargs: '' })
  const savedMeta = ref<Meta>({ name: '', description: '', bootargs: '' })
  const past = shallowRef<DeviceTree[]>([])
  const future = shallowRef<DeviceTree[]>([])
  const selected = ref<NodePath>('/')
  const error = ref('')
  const notice = ref('')
  // The tree's own checks run here at each edit, on what the edit touched; whether a driver of the
  // kernel matches each device is the host's answer, asked for after the edits settle.
  let checker: TreeChecker | undefined
  const structural = shallowRef<ProfileFinding[]>([])
  const driverFindings = shallowRef<ProfileFinding[]>()
  const findings = computed(() =>
    driverFindings.value ? [...structural.value, ...driverFindings.value] : undefined,
  )
  const busy = ref(false)

  const readOnly = computed(() => summary.value?.builtIn ?? true)
  const dirty = computed(
    () =>
      tree.value !== saved.value || JSON.stringify(meta.value) !== JSON.stringify(savedMeta.value),
  )

  async function open(id: string) {
    error.value = ''
    notice.value = ''
    try {
      const detail = await modlab.profiles.tree({ id })
      summary.value = detail.summary
      const loaded = treeFromData(detail.tree)
      tree.value = loaded
      saved.value = loaded
      meta.value = {
        name: detail.summary.name,
        description: detail.summary.description,
        bootargs: detail.summary.bootargs,
      }
      savedMeta.value = { ...meta.value }
      past.value = []
      future.value = []
      selected.value = '/'
      checker = new TreeChecker(loaded)
      structural.value = checker.findings
      driverFindings.value = undefined
      void check()
    } catch (failure) {
      error.value = describeError(failure)
    }
  }

  /** Applies an edit; a failing edit becomes the message shown, and nothing changes. */
  function apply(edit: (current: DeviceTree) => DeviceTree): boolean {
    const current = tree.value
    if (!current) return false
    if (readOnly.value) {
      error.value = 'Built-in profiles are read-only: clone this one to edit it.'
      return false
    }
    try {
      const next = edit(current)
      if (next === current) return true
      past.value = [...past.value.slice(-HISTORY_LIMIT + 1), current]
      future.value = []
      tree.value = next
      error.value = ''
      scheduleCheck()
      return true
    } catch (failure) {
      // An EditError (a name taken, an invalid name) or a tree that cannot be built: shown, not applied.
      if (!(failure instanceof Error)) throw failure
      error.value = failure.message
      return false
    }
  }

  function undo() {
    const previous = past.value[past.value.length - 1]
    if (!previous || !tree.value) return
    future.value = [tree.value, ...future.value]
    past.value = past.value.slice(0, -1)
    tree.value = previous
    scheduleCheck()
  }

  function redo() {
    const next = future.value[0]
    if (!next || !tree.value) return
    past.value = [...past.value, tree.value]
    future.value = future.value.slice(1)
    tree.value = next
    scheduleCheck()
  }

  async function save() {
    if (!summary.value || !tree.value || readOnly.value) return
    busy.value = true
    try {
      summary.value = await modlab.profiles.save({
        id: summary.value.id,
        ...meta.value,
        tree: treeToData(tree.value),
      })
      saved.value = tree.value
      savedMeta.value = { ...meta.value }
      notice.value = `Saved ${summary.value.name}.`
      error.value = ''
    } catch (failure) {
      error.value = describeError(failure)
    } finally {
      busy.value = false
    }
  }

  function revert() {
    if (!saved.value || !tree.value) return
    past.value = [...past.value, tree.value]
    future.value = []
    tree.value = saved.value
    meta.value = { ...savedMeta.value }
    scheduleCheck()
  }

  /** Copies the open profile (a built-in, usually) into an editable one; returns its id. */
  async function clone(): Promise<string | undefined> {
    if (!summary.value || !tree.value) return undefined
    try {
      const copy = await modlab.profiles.create({
        name: `${summary.value.name} (copy)`,
        description: `Cloned from ${summary.value.id}. ${summary.value.description}`.slice(0, 4000),
        bootargs: meta.value.bootargs,
        tree: treeToData(tree.value),
        sourceFile: `${summary.value.id} (clone)`,
      })
      return copy.id
    } catch (failure) {
      error.value = describeError(failure)
      return undefined
    }
  }

  let checkTimer: ReturnType<typeof setTimeout> | undefined
  /** The tree changed: its checks now, the drivers' once the edits pause. */
  function scheduleCheck() {
    if (checker && tree.value) structural.value = checker.update(tree.value)
    clearTimeout(checkTimer)
    checkTimer = setTimeout(() => void check(), 300)
  }

  /** Which devices of the tree as edited no driver of the first kernel profile matches. */
  async function check() {
    const current = tree.value
    if (!current) return
    try {
      const [kernel] = await modlab.kernels.list()
      const result = await modlab.profiles.validate({
        tree: treeToData(current),
        ...(kernel ? { kernel: kernel.id } : {}),
      })
      if (tree.value === current)
        driverFindings.value = result.filter((finding) => finding.check === 'no_driver')
    } catch (failure) {
      error.value = describeError(failure)
    }
  }

  return {
    summary,
    tree,
    meta,
    selected,
    error,
    notice,
    findings,
    busy,
    readOnly,
    dirty,
    canUndo: computed(() => past.value.length > 0),
    canRedo: computed(() => future.value.length > 0),
    open,
    apply,
    undo,
    redo,
    save,
    revert,
    clone,
  }
})
