import { ERRNO } from '../../linux/errno'
import type { ModuleLoader } from './loader'

/**
 * module_sig_check() (kernel/module/signing.c:134) when the module is unsigned: refused when
 * is_module_sig_enforced() (CONFIG_MODULE_SIG_FORCE, or `module.sig_enforce` on the command line).
 */
export function moduleSigCheck(loader: ModuleLoader, signed: boolean | undefined): number {
  if (signed || !sigEnforced(loader)) return 0
  loader.kernel.printk('notice', 'Loading of unsigned module is rejected')
  return -ERRNO.EKEYREJECTED
}

function sigEnforced(loader: ModuleLoader): boolean {
  const param = loader.kernel.cmdline.params.get('module.sig_enforce')
  return loader.policy.sigEnforce || param === true || param === '1' || param === 'Y'
}

const MODULE_SIG_STRING = '~Module signature appended~\n'

/**
 * mod_check_sig() (kernel/module_signature.c:21) for module_sig_check() (kernel/module/signing.c): a file ending with the magic
 * string carries a signature, `struct module_signature` (12 bytes, sig_len big-endian last) before
 * the magic and the PKCS#7 blob before that; the kernel takes it all off. modlab does not verify
 * the blob: a signed module is taken as signed by the build's key.
 */
export function stripSignature(image: Uint8Array): { bytes: Uint8Array; signed: boolean } {
  const magic = new TextEncoder().encode(MODULE_SIG_STRING)
  const end = image.length - magic.length
  if (end < 12 || magic.some((byte, i) => image[end + i] !== byte))
    return { bytes: image, signed: false }
  const view = new DataView(image.buffer, image.byteOffset, image.byteLength)
  const sigLen = view.getUint32(end - 4, false)
  const start = end - 12 - sigLen
  if (start < 0) return { bytes: image, signed: false }
  return { bytes: image.subarray(0, start), signed: true }
}
