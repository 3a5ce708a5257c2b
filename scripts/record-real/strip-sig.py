#!/usr/bin/env python3
"""Remove the appended module signature from an uncompressed .ko.

    strip-sig.py IN.ko OUT.ko
Layout (scripts/sign-file.c): module | PKCS#7 signature | struct module_signature (12 bytes:
algo, hash, id_type, signer_len, key_id_len, pad[3], __be32 sig_len) | "~Module signature appended~\\n".
"""
import struct, sys

MAGIC = b"~Module signature appended~\n"
data = open(sys.argv[1], "rb").read()
if not data.endswith(MAGIC):
    sys.exit("%s: no appended signature" % sys.argv[1])
info = data[-len(MAGIC) - 12:-len(MAGIC)]
algo, hash_, id_type, signer_len, key_id_len, sig_len = struct.unpack(">BBBBB3xI", info)
end = len(data) - len(MAGIC) - 12 - sig_len - signer_len - key_id_len
open(sys.argv[2], "wb").write(data[:end])
print("%s: id_type %d, signature %d bytes, module %d bytes" % (sys.argv[1], id_type, sig_len, end))
