import type { Device } from './device'

/**
 * kobject_uevent(KOBJ_ADD) of new devices, as a netlink socket holds them for a daemon in
 * userspace (udevd). Nothing listens before init; a daemon that starts later coldplugs what
 * already exists through /sys (udevadm trigger), then reads the socket for what comes after.
 */
export class UeventQueue {
  private queue: Device[] = []
  private listener?: (devices: Device[]) => void

  /** device_add() announced a device (lib/kobject_uevent.c). */
  add(device: Device): void {
    if (this.listener) this.queue.push(device)
  }

  /** A daemon binds the socket: it sees only what is announced from now on. */
  listen(listener: (devices: Device[]) => void): void {
    this.listener = listener
    this.queue = []
  }

  /**
   * The kernel gave the CPU back to userspace (a timer's work finished, a command returned): the
   * daemon reads what is queued, and what its own work announces after that.
   */
  deliver(): void {
    const listener = this.listener
    if (!listener) return
    while (this.queue.length > 0) listener(this.queue.splice(0))
  }
}
