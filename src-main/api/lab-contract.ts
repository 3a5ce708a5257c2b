/**
 * The Lab's stream in the API contract: `lab:watch` asks main to push a boot's log and devices,
 * which arrive as `lab:stream` batches. Spread into `requestSchemas` in contract.ts.
 */
import { z } from 'zod'
import type { DeviceInfo, KernelRecord } from './contract'

const BootId = z.number().int().positive().max(Number.MAX_SAFE_INTEGER)
const Index = z.number().int().min(0).max(Number.MAX_SAFE_INTEGER)

export const labRequestSchemas = {
  /**
   * Push this boot's records from `from` on and its devices from `devicesFrom` on, to the page
   * that asked; a page watches one boot at a time, so this ends its last watch.
   */
  'lab:watch': z.object({ bootId: BootId, from: Index, devicesFrom: Index.default(0) }).strict(),
}

export type WatchRequest = z.input<(typeof labRequestSchemas)['lab:watch']>

/** The watch `lab:watch` started: its batches carry its number. */
export interface LabWatch {
  watch: number
  /** What the watch delivers in all: records and devices up to these counts. */
  recordCount: number
  /** Devices are those of a boot still running; a boot modlab no longer keeps streams none. */
  deviceCount: number
}

/** One `lab:stream` batch: the next records and devices of a watch, in order. */
export interface LabStreamBatch {
  watch: number
  bootId: number
  /** The index of `records[0]` in the boot's log. */
  from: number
  records: KernelRecord[]
  /** The index of `devices[0]` in the boot's device list. */
  devicesFrom: number
  devices: DeviceInfo[]
  /** The watch's last batch: everything up to its counts was sent. */
  done: boolean
}

/** The payload of each pushed event (channels.ts lists them). */
export interface ApiEventPayloads {
  'lab:stream': LabStreamBatch
}
