import { xz } from '@napi-rs/lzma'
import { decompress as zstd } from 'fzstd'
import { gunzipSync } from 'node:zlib'
import { KoFormatError } from './elf'

const decoder = new TextDecoder()

/** The members of an ar archive (a `.deb` is one): name → bytes. */
export function readAr(bytes: Uint8Array): Map<string, Uint8Array> {
  if (decoder.decode(bytes.subarray(0, 8)) !== '!<arch>\n')
    throw new KoFormatError('not a Debian package (.deb): no ar archive header')
  const members = new Map<string, Uint8Array>()
  let at = 8
  while (at + 60 <= bytes.length) {
    const name = decoder
      .decode(bytes.subarray(at, at + 16))
      .trim()
      .replace(/\/$/, '')
    const size = Number.parseInt(decoder.decode(bytes.subarray(at + 48, at + 58)).trim(), 10)
    if (!Number.isFinite(size) || at + 60 + size > bytes.length)
      throw new KoFormatError(`truncated Debian package: member ${name} is cut short`)
    members.set(name, bytes.subarray(at + 60, at + 60 + size))
    at += 60 + size + (size % 2)
  }
  return members
}

/** The regular files of a tar archive, by path without a leading `./`. */
export function readTar(bytes: Uint8Array): Map<string, Uint8Array> {
  const files = new Map<string, Uint8Array>()
  let at = 0
  let longName: string | undefined
  const field = (start: number, length: number) =>
    decoder.decode(bytes.subarray(at + start, at + start + length)).replace(/\0.*$/s, '')
  while (at + 512 <= bytes.length) {
    if (bytes[at] === 0) break
    const size = Number.parseInt(field(124, 12).trim() || '0', 8)
    const type = String.fromCharCode(bytes[at + 156] ?? 0)
    const prefix = field(345, 155)
    const name = longName ?? (prefix ? `${prefix}/${field(0, 100)}` : field(0, 100))
    longName = undefined
    const data = bytes.subarray(at + 512, at + 512 + size)
    if (data.length < size) throw new KoFormatError(`truncated archive: ${name} is cut short`)
    if (type === 'L') longName = decoder.decode(data).replace(/\0.*$/s, '')
    else if (type === '0' || type === '\0') files.set(name.replace(/^\.\//, ''), data)
    at += 512 + Math.ceil(size / 512) * 512
  }
  return files
}

/** The files a `.deb` installs (its data.tar.*). */
export function readDebData(bytes: Uint8Array): Map<string, Uint8Array> {
  const members = readAr(bytes)
  for (const [name, data] of members) {
    if (!name.startsWith('data.tar')) continue
    if (name.endsWith('.xz')) return readTar(xz.decompressSync(data))
    if (name.endsWith('.zst')) return readTar(zstd(data))
    if (name.endsWith('.gz')) return readTar(gunzipSync(data))
    return readTar(data)
  }
  throw new KoFormatError('a Debian package without a data.tar member')
}
