import { z } from 'zod'
import table from '../../resources/hardware/id-registers.json'

const IdRegisters = z
  .object({
    about: z.string(),
    ids: z.record(
      z.string(),
      z
        .object({
          values: z.record(z.string(), z.number().int().nonnegative()),
          source: z.string().min(1),
        })
        .strict(),
    ),
  })
  .strict()

const IDS = IdRegisters.parse(table).ids

/**
 * What the ID registers of the IP a node's compatible names report, decoded into named fields
 * (resources/hardware/id-registers.json); undefined when modlab has no record of the part.
 */
export function idRegisterValues(
  compatible: readonly string[],
): Readonly<Record<string, number>> | undefined {
  for (const name of compatible) {
    const record = IDS[name]
    if (record) return record.values
  }
  return undefined
}
