import { z } from 'zod'

/** `resources/profiles/<id>/profile.json`: what a board's devicetree does not say about it. */
export const ProfileFile = z
  .object({
    id: z.string().regex(/^[a-z0-9][a-z0-9-]*$/, 'an id is lowercase letters, digits and dashes'),
    name: z.string().min(1),
    description: z.string(),
    bootargs: z.string(),
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
