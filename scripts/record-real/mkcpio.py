#!/usr/bin/env python3
"""Write a deterministic newc cpio archive of a directory tree (uid/gid 0, mtime 0, sorted).

    mkcpio.py ROOT_DIR OUT.cpio
No host cpio needed; same tree gives byte-identical output.
"""
import os, stat, sys

root, out = sys.argv[1], sys.argv[2]
ino = [1000]

def entry(f, name, mode, data=b"", nlink=1):
    ino[0] += 1
    namez = name.encode() + b"\0"
    hdr = "070701" + "".join("%08X" % v for v in (
        ino[0], mode, 0, 0, nlink, 0, len(data), 0, 0, 0, 0, len(namez), 0))
    f.write(hdr.encode() + namez)
    f.write(b"\0" * ((4 - (110 + len(namez)) % 4) % 4))
    f.write(data)
    f.write(b"\0" * ((4 - len(data) % 4) % 4))

with open(out, "wb") as f:
    for dirpath, dirnames, filenames in os.walk(root):
        dirnames.sort()
        rel = os.path.relpath(dirpath, root)
        if rel != ".":
            entry(f, rel, stat.S_IFDIR | 0o755, nlink=2)
        for name in sorted(filenames + [d for d in dirnames if os.path.islink(os.path.join(dirpath, d))]):
            p = os.path.join(dirpath, name)
            r = name if rel == "." else rel + "/" + name
            st = os.lstat(p)
            if stat.S_ISLNK(st.st_mode):
                entry(f, r, stat.S_IFLNK | 0o777, os.readlink(p).encode())
            else:
                perm = 0o755 if st.st_mode & 0o111 else 0o644
                with open(p, "rb") as g:
                    entry(f, r, stat.S_IFREG | perm, g.read())
        # symlinked dirs are listed above and must not be descended into
        dirnames[:] = [d for d in dirnames if not os.path.islink(os.path.join(dirpath, d))]
    entry(f, "TRAILER!!!", 0, nlink=1)
