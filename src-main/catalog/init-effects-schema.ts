import { z } from 'zod'
import { Message } from './message-schema'

/*
 * The effects of init functions that cooperate through driver statics, and of a block of numbered
 * frames (drivers/clocksource/arm_arch_timer.c's CP15 and memory-mapped inits are the users).
 */

/**
 * A flag word a driver's init functions share (a static `__initdata` bitmask such as
 * arm_arch_timer.c's arch_timers_present): ORs `type` in, remembering `value` (a template) for
 * `init_flag_wait`. With `ifSet`, an init that finds its type already set prints those messages
 * and returns 0.
 */
export const InitFlagEffect = z
  .object({
    kind: z.literal('init_flag'),
    flag: z.string().regex(/^\w+$/),
    type: z.string().regex(/^\w+$/),
    value: z.string().optional(),
    ifSet: z.array(Message).optional(),
    shared: z.array(z.string()).default([]),
  })
  .strict()

/**
 * Vars that are one static the first init sets and later ones keep (arch_timer_rate, set once
 * by arch_timer_of_configure_rate()): the first init to get here records its values of `vars`,
 * a later one takes the recorded ones instead of its own.
 */
export const InitStaticEffect = z
  .object({
    kind: z.literal('init_static'),
    name: z.string().regex(/^\w+$/),
    vars: z.array(z.string()).min(1),
  })
  .strict()

/**
 * Where an init waits for its siblings: while a type of `types` is unset in `flag` and the first
 * node matching its compatibles is available, the init ends here with 0 (the later one goes on).
 * Going on, `{<flag>}` joins the set types' names with `join` and `{<flag>.value}` their values
 * with `valueJoin`, in the order of `types`.
 */
export const InitFlagWaitEffect = z
  .object({
    kind: z.literal('init_flag_wait'),
    flag: z.string().regex(/^\w+$/),
    types: z
      .array(z.object({ type: z.string(), compatible: z.array(z.string().min(1)) }).strict())
      .min(1),
    join: z.string(),
    valueJoin: z.string(),
  })
  .strict()

/**
 * A block whose numbered frames are its available children (CNTCTLBase and its CNTBase frames):
 * each child's `number` property gives its slot, below `slots` and not taken twice, else
 * `badNumber`/`missingNumber`/`duplicate` is printed and -EINVAL returned. Every frame's
 * interrupts of `irqs` are mapped (in that order). The frames are then tried by slot: the first
 * whose capability bit (`bit + slot * stride` of board value `capability`) is set is taken as
 * `preferred`, else the last as `fallback`; none prints `none`. Var `var` gets the choice, and a
 * chosen frame without the interrupt `irqs[choice]` prints `noIrq` and returns -EINVAL.
 */
export const SelectFrameEffect = z
  .object({
    kind: z.literal('select_frame'),
    number: z.string().min(1),
    slots: z.number().int().positive(),
    capability: z
      .object({
        board: z.string(),
        bit: z.number().int().nonnegative(),
        stride: z.number().int().positive(),
      })
      .strict(),
    preferred: z.string(),
    fallback: z.string(),
    var: z.string().regex(/^\w+$/),
    irqs: z.record(z.string(), z.number().int().nonnegative()),
    missingNumber: z.array(Message).default([]),
    badNumber: z.array(Message).default([]),
    duplicate: z.array(Message).default([]),
    none: z.array(Message).default([]),
    noIrq: z.array(Message).default([]),
  })
  .strict()
