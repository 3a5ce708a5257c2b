/** A file of procfs, sysfs or debugfs: read (and perhaps written) through the code whose state it shows. */
export type FileNode =
  | { kind: 'file'; read: () => string; write?: (value: string) => number }
  | { kind: 'dir'; list: () => string[] }

export function file(read: () => string, write?: (value: string) => number): FileNode {
  return { kind: 'file', read, write }
}

export function dir(list: () => string[]): FileNode {
  return { kind: 'dir', list }
}
