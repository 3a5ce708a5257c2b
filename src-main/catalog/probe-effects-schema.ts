import { z } from 'zod'
import { ERRNO } from '../linux/errno'
import {
  InitFlagEffect,
  InitFlagWaitEffect,
  InitStaticEffect,
  SelectFrameEffect,
} from './init-effects-schema'
import { LogLevelName, Message } from './message-schema'

/**
 * What a driver's init or probe does, step by step: print, register a clocksource or clock event
 * device, set up its console, fail or defer. Texts are templates (see driver-schema.ts).
 */
const Errno = z.enum(Object.keys(ERRNO) as [keyof typeof ERRNO, ...(keyof typeof ERRNO)[]])

/** A number, or the name of one of the driver's vars. */
const NumberOrVar = z.union([z.number(), z.string()])

/** CLOCK_EVT_FEAT_* (include/linux/clockchips.h). */
const ClockEventFeature = z.enum([
  'PERIODIC',
  'ONESHOT',
  'KTIME',
  'C3STOP',
  'DUMMY',
  'DYNIRQ',
  'PERCPU',
  'HRTIMER',
])

export const ProbeEffect = z.discriminatedUnion('kind', [
  z
    .object({
      kind: z.literal('print'),
      level: LogLevelName.default('info'),
      text: z.string(),
      dev: z.boolean().default(false),
      /** Printed only when this var is set and not 0. */
      if: z.string().optional(),
    })
    .strict(),
  /**
   * for_each_available_child_of_node() matching a compatible (GICv3's ITS), or every child of the
   * child named `under` (GICv3's ppi-partitions): `each` per child, with `{child.reg}`,
   * `{child.end}`, `{child.name}`, `{child.index}` and `{child.affinity}` (its `affinity` CPUs as
   * `%pOF[cpu] `); `after` once if any; `noneAvailable` when children are described but all
   * disabled; `noneDescribed` when there is none.
   */
  z
    .object({
      kind: z.literal('for_each_child'),
      compatible: z.string().optional(),
      under: z.string().optional(),
      each: z.array(Message).default([]),
      after: z.array(Message).default([]),
      noneAvailable: z.array(Message).default([]),
      noneDescribed: z.array(Message).default([]),
    })
    .strict(),
  z
    .object({
      kind: z.literal('clocksource'),
      name: z.string(),
      rating: z.number().int(),
      bits: NumberOrVar,
      hz: NumberOrVar,
      /** Valid for high-resolution/NOHZ mode (CLOCK_SOURCE_VALID_FOR_HRES). */
      hres: z.boolean().default(true),
      /** The driver sets `.owner = THIS_MODULE`: without it try_module_get() pins nothing. */
      owner: z.boolean().default(false),
    })
    .strict(),
  /**
   * clockevents_config_and_register(): `cpumask` `percpu` registers `name` (`{cpu}` in it) from a
   * cpuhp STARTING callback on every CPU with cpumask_of(cpu), `cpu0` once with cpumask_of(0),
   * `possible` once with cpu_possible_mask. A feature `{feature, unless}` is set when that var is
   * 0 or unset (C3STOP unless the node says `always-on`). `ops` are the callbacks' names
   * /proc/timer_list prints.
   */
  z
    .object({
      kind: z.literal('clockevent'),
      name: z.string(),
      rating: z.number().int(),
      cpumask: z.enum(['percpu', 'cpu0', 'possible']),
      features: z.array(
        z.union([
          ClockEventFeature,
          z.object({ feature: ClockEventFeature, unless: z.string() }).strict(),
        ]),
      ),
      hz: NumberOrVar,
      /** The counter runs at hz / hzDivider (the MCT local timers' TICK_BASE_CNT + 1). */
      hzDivider: z.number().int().positive().default(1),
      minDelta: z.number().int().nonnegative(),
      /** Ticks, or CLOCKSOURCE_MASK(bits) of a number or var. */
      maxDelta: z.union([z.number().int().positive(), z.object({ mask: NumberOrVar }).strict()]),
      ops: z
        .object({
          set_next_event: z.string().optional(),
          shutdown: z.string().optional(),
          periodic: z.string().optional(),
          oneshot: z.string().optional(),
          oneshot_stopped: z.string().optional(),
          resume: z.string().optional(),
        })
        .strict()
        .default({}),
      /** The driver sets `.owner = THIS_MODULE`: without it try_module_get() pins nothing. */
      owner: z.boolean().default(false),
    })
    .strict(),
  z.object({ kind: z.literal('sched_clock'), bits: NumberOrVar, hz: NumberOrVar }).strict(),
  InitFlagEffect,
  InitStaticEffect,
  InitFlagWaitEffect,
  SelectFrameEffect,
  /** The rate arm64's time_init() calibrates the delay loop from (arch_timer_get_rate()). */
  z.object({ kind: z.literal('delay_timer'), hz: NumberOrVar }).strict(),
  /**
   * uart_add_one_port() and register_console(): the port's line is its `alias` id (`serial2` gives
   * 2) when free, else the first free from `index`; `announce` is printed with `{line}`.
   */
  z
    .object({
      kind: z.literal('console'),
      name: z.string(),
      index: z.number().int().default(0),
      alias: z.string().optional(),
      announce: z.array(Message).default([]),
      onOpen: z.array(Message).default([]),
    })
    .strict(),
  /** The probe returns this errno (after printing what came before). */
  z.object({ kind: z.literal('fail'), errno: Errno }).strict(),
  /**
   * The probe returns `errno` when the driver matched the node through one of `compatibles` and
   * that string is not the node's first (most specific) compatible: a transparent-bus driver that
   * leaves a node with a more specific driver alone (simple-pm-bus's ONLY_BUS entries).
   */
  z
    .object({
      kind: z.literal('fail_unless_first_compatible'),
      compatibles: z.array(z.string().min(1)).min(1),
      errno: Errno,
    })
    .strict(),
  /**
   * of_match_device(table, dev->parent) in the probe: unless the parent device's node has one of
   * `compatibles`, the driver prints `messages` and the probe returns `errno` (a node-less MFD
   * cell checking which PMU added it, clk-exynos-clkout.c:100).
   */
  z
    .object({
      kind: z.literal('fail_unless_parent_compatible'),
      compatibles: z.array(z.string().min(1)).min(1),
      errno: Errno,
      messages: z.array(Message).default([]),
    })
    .strict(),
  /** dev_err_probe(dev, -EPROBE_DEFER, reason): defers, recording the reason. */
  z.object({ kind: z.literal('defer'), reason: z.string() }).strict(),
  z.object({ kind: z.literal('delay'), us: z.number().nonnegative() }).strict(),
  /**
   * of_irq_get() on the node's interrupts: with no irq domain for its interrupt parent (no
   * interrupt controller driver ran) the driver prints `messages` and its init returns `errno`.
   */
  z
    .object({
      kind: z.literal('of_irq_get'),
      errno: Errno,
      messages: z.array(Message).default([]),
    })
    .strict(),
  /** Interrupts the driver allocates for itself (an interrupt controller's IPIs). */
  z.object({ kind: z.literal('reserve_irqs'), count: z.number().int().positive() }).strict(),
])
export type ProbeEffect = z.infer<typeof ProbeEffect>
