/** net/core/dev.c: the network devices of init_net, as /sys/class/net lists them. */
export class NetDevices {
  private readonly devices: { name: string; owner?: string }[] = []

  /**
   * register_netdev() after alloc_netdev(): a name with `%d` takes the lowest unit not in use
   * (__dev_alloc_name(), net/core/dev.c:1173, find_first_zero_bit at :1219); 0 or a negative errno.
   */
  register(template: string, owner?: string): string {
    let name = template
    if (template.includes('%d')) {
      const taken = new Set(this.devices.map((device) => device.name))
      let unit = 0
      while (taken.has(template.replace('%d', String(unit)))) unit += 1
      name = template.replace('%d', String(unit))
    }
    this.devices.push({ name, owner })
    return name
  }

  /** What a module's exit takes away (rtnl_link_unregister() deletes its link type's devices). */
  unregisterOwnedBy(owner: string): void {
    for (let i = this.devices.length - 1; i >= 0; i--)
      if (this.devices[i]?.owner === owner) this.devices.splice(i, 1)
  }

  names(): string[] {
    return this.devices.map((device) => device.name)
  }
}
