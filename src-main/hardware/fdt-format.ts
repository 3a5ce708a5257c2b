/** The flattened devicetree format (devicetree specification, chapter 5). */
export const FDT_MAGIC = 0xd00dfeed
export const FDT_BEGIN_NODE = 0x1
export const FDT_END_NODE = 0x2
export const FDT_PROP = 0x3
export const FDT_NOP = 0x4
export const FDT_END = 0x9
export const FDT_HEADER_SIZE = 40

export const align4 = (value: number) => (value + 3) & ~3
/** Nodes on one path from the root, the root included: libfdt's FDT_MAX_DEPTH. */
export const FDT_MAX_DEPTH = 64
