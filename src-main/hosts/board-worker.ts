/**
 * A worker thread's entry: one job in, its result (or its `{code, message}`) out. Board jobs
 * (reading and checking a user's tree) and the Lab's jobs (its machines, kept between jobs).
 */
import { parentPort } from 'node:worker_threads'
import { runBoardJob, type BoardJob } from '../api/services/board-work'
import { ApiError } from '../api/errors'
import { LabEngine, type LabJob } from '../sessions/lab-engine'

const lab = new LabEngine()

parentPort?.on('message', (job: BoardJob | LabJob) => {
  try {
    const value = job.kind.startsWith('lab-')
      ? lab.run(job as LabJob)
      : runBoardJob(job as BoardJob)
    parentPort?.postMessage({ ok: true, value })
  } catch (error) {
    const { code, message, missingInclude } =
      error instanceof ApiError
        ? error
        : { code: 'internal', message: (error as Error).message, missingInclude: undefined }
    parentPort?.postMessage({ ok: false, error: { code, message, missingInclude } })
  }
})
