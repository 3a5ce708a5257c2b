/**
 * The kernel shell and the modules panel as the API shows them: a command's output and records,
 * lsmod's modules and those modules.dep offers.
 */
import type { KernelRecord } from './lab-contract'
import type { DeviceInfo } from './devices-contract'

/** One shell command as run, with the kernel records it caused. */
export interface ShellCommandResult {
  command: string
  stdout: string
  stderr: string
  exitCode: number
  kernelRecords: KernelRecord[]
}

export interface LoadedModuleInfo {
  name: string
  /** What /proc/modules shows: core plus init while loading, core after. */
  size: number
  refcount: number
  /** The modules using it, as /sys/module/<m>/holders lists them. */
  usedBy: string[]
  state: 'live' | 'coming' | 'going' | 'unformed'
  /** Taint letters, `OE`. */
  taints: string
  /** An init and no exit: it can never be unloaded without force. */
  permanent: boolean
}

export interface AvailableModuleInfo {
  name: string
  path: string
  description: string
  license: string
  /** Modules it needs (modules.dep), by name. */
  depends: string[]
  loaded: boolean
}

export interface ModulesState {
  /** Newest first, as lsmod lists them. */
  loaded: LoadedModuleInfo[]
  available: AvailableModuleInfo[]
  /** Kernel-wide taint letters. */
  taints: string
  /** Whether `rmmod -f` can do anything (CONFIG_MODULE_FORCE_UNLOAD). */
  forceUnload: boolean
  /** The shell's commands, for completion. */
  commands: string[]
}

export interface ShellResult {
  results: ShellCommandResult[]
  modules: ModulesState
  /** Devices after the commands (first page); `lab.watch` streams the rest. */
  deviceCount: number
  devices: DeviceInfo[]
  /** Records of the boot so far, shell commands included. */
  recordCount: number
}
