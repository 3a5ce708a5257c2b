import { z } from 'zod'

/** `resources/profiles/<id>/profile.json`: what a board's devicetree does not say about it. */
export const ProfileFile = z
  .object({
    id: z.string().regex(/^[a-z0-9][a-z0-9-]*$/, 'an id is lowercase letters, digits and dashes'),
    name: z.string().min(1),
    description: z.string(),
    bootargs: z.string(),
    /** The board modlab opens on; it is listed first. */
    default: z.boolean().optional(),
    /** RAM, where the tree leaves it to the bootloader (a /memory node of size 0). */
    memory: z
      .object({ start: z.string().regex(/^0x[0-9a-f]+$/), sizeMiB: z.number().int().positive() })
      .strict()
      .optional(),
    /**
     * What the firmware set up before the kernel ran, which the tree does not say: the counter
     * frequency it wrote to CNTFRQ_EL0, the exception level it entered the kernel at, and the
     * MIDR_EL1 of each CPU where the cpu node's `compatible` does not tell one core from another.
     */
    firmware: z
      .object({
        cntfrqHz: z.number().int().positive(),
        bootEL: z.union([z.literal(1), z.literal(2)]),
        midr: z.array(z.string().regex(/^0x[0-9a-f]{8}$/)).optional(),
        /**
         * What the GIC's distributor reports as the firmware left it: GICD_TYPER's SPI count,
         * GICD_CTLR.DS, and whether Group 0 goes to EL3 (SCR_EL3.FIQ), as GICv3 prints them.
         */
        gic: z
          .object({
            spis: z.number().int().nonnegative(),
            ds: z.union([z.literal(0), z.literal(1)]),
            fiq: z.union([z.literal(0), z.literal(1)]),
          })
          .strict()
          .optional(),
        /**
         * CNTTIDR of the memory-mapped timer's CNTCTLBase frame (`arm,armv7-timer-mem`): which
         * frames implement the virtual timer (bit 4n+1 for frame n, CNTTIDR_VIRT()).
         */
        cnttidr: z
          .string()
          .regex(/^0x[0-9a-f]{8}$/)
          .optional(),
        /** Where the values were read: a real boot log of the board, with its lines. */
        source: z.string().min(1),
      })
      .strict()
      .optional(),
    devicetree: z.string().regex(/^[\w.-]+\.dtb$/, 'a .dtb file name beside profile.json'),
    source: z
      .object({
        generator: z.string().min(1),
        tool: z.string().min(1),
        sha256: z.string().regex(/^[0-9a-f]{64}$/, 'a lowercase hex sha256'),
      })
      .strict(),
  })
  .strict()

export type ProfileFile = z.infer<typeof ProfileFile>
