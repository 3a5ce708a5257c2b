import type { Connection } from '../connection'
import type { DeviceInfo, KernelRecord, LabStreamBatch, LabWatch } from '../contract'

/** The design's rule for streams: at most about 60 batches a second to a page. */
export const STREAM_INTERVAL_MS = 1000 / 60
/** A batch's size: no single message big enough to stall the page. */
export const STREAM_RECORDS = 2000
export const STREAM_DEVICES = 1000

/** What one watch streams: a boot's records from `from` on, and a list of devices. */
export interface StreamSource {
  bootId: number
  from: number
  devicesFrom: number
  recordCount: number
  readRecords(from: number, count: number): KernelRecord[]
  /** As they were when the watch began (a later shell command sends its own and watches again). */
  devices: readonly DeviceInfo[]
}

interface Watch {
  id: number
  timer?: ReturnType<typeof setTimeout>
}

/**
 * Pushes boots to the pages that watch them, one watch per page (the Lab shows one boot): a
 * batch when the last one to that page is at least STREAM_INTERVAL_MS old, until all is sent,
 * the page goes away or it watches something else.
 */
export class LabStreams {
  private readonly watches = new Map<Connection, Watch>()
  private readonly lastPush = new WeakMap<Connection, number>()
  private readonly known = new WeakSet<Connection>()
  private nextId = 1

  constructor(
    private readonly log: (message: string) => void = (message) => console.error(message),
  ) {}

  /** How many watches are still sending. */
  get active(): number {
    return this.watches.size
  }

  watch(connection: Connection, source: StreamSource): LabWatch {
    this.cancel(connection)
    const watch: Watch = { id: this.nextId++ }
    const deviceCount = source.devices.length
    if (!this.known.has(connection)) {
      this.known.add(connection)
      connection.onClose(() => this.cancel(connection))
    }
    if (connection.closed) return { watch: watch.id, recordCount: source.recordCount, deviceCount }
    this.watches.set(connection, watch)
    let { from, devicesFrom } = source
    const send = () => {
      if (this.watches.get(connection) !== watch) return
      try {
        const records = from < source.recordCount ? source.readRecords(from, STREAM_RECORDS) : []
        const devices = source.devices.slice(devicesFrom, devicesFrom + STREAM_DEVICES)
        const batch: LabStreamBatch = {
          watch: watch.id,
          bootId: source.bootId,
          from,
          records,
          devicesFrom,
          devices,
          done: false,
        }
        from += records.length
        devicesFrom += devices.length
        // A log shorter than it said (nothing came back) ends the watch rather than spinning.
        batch.done =
          (from >= source.recordCount || records.length === 0) && devicesFrom >= deviceCount
        connection.push('lab:stream', batch)
        this.lastPush.set(connection, performance.now())
        if (batch.done) this.watches.delete(connection)
        else schedule()
      } catch (error) {
        this.cancel(connection)
        this.log(`modlab: the stream of boot ${source.bootId} stopped: ${String(error)}`)
      }
    }
    const schedule = () => {
      const last = this.lastPush.get(connection)
      const wait =
        last === undefined
          ? 0
          : Math.max(0, Math.ceil(last + STREAM_INTERVAL_MS - performance.now()))
      watch.timer = setTimeout(send, wait)
      // A host shutting down does not wait for a page's stream.
      watch.timer.unref?.()
    }
    schedule()
    return { watch: watch.id, recordCount: source.recordCount, deviceCount }
  }

  /** Ends the page's watch, if it has one. */
  cancel(connection: Connection) {
    const watch = this.watches.get(connection)
    if (!watch) return
    clearTimeout(watch.timer)
    this.watches.delete(connection)
  }
}
