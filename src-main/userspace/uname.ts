import type { KernelProfile } from '../catalog/kernel-profile-schema'
import { fail, ok, type ToolResult } from './system'

const USAGE = `BusyBox v1.35.0 (Debian 1:1.35.0-4+deb12u1+b1) multi-call binary.

Usage: uname [-amnrspvio]

Print system information

	-a	Print all
	-m	Machine (hardware) type
	-n	Hostname
	-r	Kernel release
	-s	Kernel name (default)
	-p	Processor type
	-v	Kernel version
	-i	Hardware platform
	-o	OS name
`

/** busybox uname: fields print in struct order whatever the order of the flags; -a leaves out the unknown ones. */
export function uname(profile: KernelProfile, args: string[]): ToolResult {
  const letters = 'snrvmpio'
  let wanted = new Set<string>()
  let all = false
  for (const arg of args) {
    if (!arg.startsWith('-') || arg === '-') return fail(USAGE)
    for (const letter of arg.slice(1)) {
      if (letter === 'a') all = true
      else if (letters.includes(letter)) wanted.add(letter)
      else return fail(`uname: invalid option -- '${letter}'\n${USAGE}`)
    }
  }
  if (all) wanted = new Set(letters)
  if (wanted.size === 0) wanted.add('s')
  const unknown = all ? '' : 'unknown'
  const fields: Record<string, string> = {
    s: 'Linux',
    // No hostname is set in the initramfs: the kernel's UTS_NODENAME.
    n: '(none)',
    r: profile.release,
    v: utsVersion(profile.banner),
    m: 'aarch64',
    p: unknown,
    i: unknown,
    o: 'GNU/Linux',
  }
  const shown = [...letters].filter((letter) => wanted.has(letter) && fields[letter])
  return ok(`${shown.map((letter) => fields[letter]).join(' ')}\n`)
}

/** linux_banner is `Linux version RELEASE (BUILDER) (COMPILER) UTS_VERSION`; UTS_VERSION starts with `#`. */
function utsVersion(banner: string): string {
  const at = banner.indexOf(') #')
  return at < 0 ? '#1' : banner.slice(at + 2)
}
