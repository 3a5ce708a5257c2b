import { createAppContext } from '../../src-main/hosts/app-context'
import type {
  BootResult,
  ReplayReport,
  SessionRecord,
  ShellResult,
} from '../../src-main/api/contract'

export type Context = ReturnType<typeof createAppContext>

/** One request through the dispatcher; a refusal is thrown with its message. */
export async function call<T>(context: Context, channel: string, request: unknown): Promise<T> {
  const result = await context.dispatch(channel as never, request)
  if (!result.ok) throw Object.assign(new Error(result.error.message), result.error)
  return result.value as T
}

export const openContext = (dataDir: string) => createAppContext({ host: 'cli', dataDir })

/** A session with a QEMU virt boot on Debian 6.1 and three shell commands typed into it. */
export async function recordVirtSession(context: Context, name = 'virt with gpio_keys') {
  const session = await call<SessionRecord>(context, 'sessions:create', { name })
  const boot = await call<BootResult>(context, 'lab:boot', {
    sessionId: session.id,
    profile: 'qemu-virt',
    kernel: 'debian-6.1-arm64',
    cmdline: 'console=ttyAMA0',
    seed: 3,
    faults: ['rtc-pl031:fail:EIO'],
  })
  await call<ShellResult>(context, 'lab:shell', {
    bootId: boot.bootId,
    command: 'rmmod gpio_keys; lsmod',
  })
  await call<ShellResult>(context, 'lab:shell', {
    bootId: boot.bootId,
    command: 'modprobe gpio_keys',
    via: 'panel',
  })
  return { session, boot }
}

export const replay = (context: Context, id: number, upTo?: number) =>
  call<ReplayReport>(context, 'sessions:replay', upTo === undefined ? { id } : { id, upTo })
