import { MessageChannel } from 'node:worker_threads';

import { Logger } from '@nestjs/common';
import { Piscina } from 'piscina';

import { ExtractionError } from './extraction-errors.js';
import type { ExtractionLimits } from './extraction-limits.js';
import { abortReason } from '../common/async/abort-reason.js';
import { FairQueue } from '../common/scheduling/fair-queue.js';
import { resolveWorkerFile } from '../common/workers/worker-file.js';
import type { ExtractionOutcome, ExtractionTask } from './worker-protocol.js';

/** Workers above the first are stopped after this long without work. */
const IDLE_TIMEOUT_MS = 60_000;

export interface ExtractionPoolOptions {
  /** The worker module; the compiled extraction worker by default (tests substitute their own). */
  workerFile?: string;
}

export interface RunOptions {
  /** Called once a worker has begun the task (its modules loaded), when the time limit starts. */
  onStart?: () => void;
  /** Whose work it is (a tenant): waiting tasks are served in turn across owners... */
  owner?: string;
  /** ...and across an owner's groups (documents), so a big document's many page spans do not hold back the files queued after it. */
  group?: string;
  /** Drops the task while it waits for a worker (a running one is left to finish). */
  signal?: AbortSignal;
}

interface Waiter {
  resolve: () => void;
  reject: (error: Error) => void;
  /** Given up while waiting: its turn passes to the next. */
  dropped: boolean;
}

/**
 * Worker threads that run extractions, at most one per worker. Tasks wait here, not in Piscina,
 * and the wall-time limit starts only when the worker tells us it has begun the task (after a
 * fresh worker has loaded its modules): a queue of large uploads does not make the ones waiting
 * behind them time out, nor does a cold worker's start-up on a busy machine. On timeout the task
 * is aborted, which terminates its worker even mid-way through synchronous code, and Piscina
 * starts a fresh one.
 */
export class ExtractionPool {
  private readonly logger = new Logger(ExtractionPool.name);
  private pool: Piscina<ExtractionTask, ExtractionOutcome> | null = null;
  private running = 0;
  private readonly waiting = new FairQueue<Waiter>();
  private destroyed = false;

  constructor(
    private readonly limits: Readonly<Required<ExtractionLimits>>,
    private readonly options: ExtractionPoolOptions = {},
  ) {}

  /** Runs one task in a worker. `task.bytes` is transferred: the caller must not use it afterwards. */
  async run(task: Omit<ExtractionTask, 'started'>, options: RunOptions = {}): Promise<ExtractionOutcome> {
    await this.acquire(options.owner ?? '', options.group ?? '', options.signal);
    const controller = new AbortController();
    const { port1: startedSignal, port2: started } = new MessageChannel();
    let timer: NodeJS.Timeout | undefined;
    let begun = false;
    startedSignal.once('message', () => {
      begun = true;
      timer = setTimeout(() => controller.abort(), this.limits.parseTimeoutMs);
      options.onStart?.();
    });
    try {
      const outcome = await this.piscina().run(
        { ...task, started },
        { signal: controller.signal, transferList: task.bytes.buffer instanceof ArrayBuffer ? [task.bytes.buffer, started] : [started] },
      );
      // the worker began, surely: its message travels on another port and may trail the result
      if (!begun) options.onStart?.();
      return outcome;
    } catch (error) {
      if (controller.signal.aborted) {
        throw new ExtractionError(
          'timeout',
          `Processing the document took longer than the ${Math.round(this.limits.parseTimeoutMs / 100) / 10} s limit.`,
        );
      }
      if ((error as { code?: unknown } | null)?.code === 'ERR_WORKER_OUT_OF_MEMORY') {
        throw new ExtractionError('too_large', 'The document needs more memory to process than allowed. Split it into smaller files.');
      }
      throw error;
    } finally {
      clearTimeout(timer);
      startedSignal.close();
      this.release();
    }
  }

  /** Stops the workers. Running tasks fail; later calls to `run` are refused. */
  async destroy(): Promise<void> {
    this.destroyed = true;
    for (const waiter of this.waiting.drain()) waiter.reject(new Error('the extraction pool is shut down'));
    const pool = this.pool;
    this.pool = null;
    await pool?.destroy();
  }

  /** Created on first use, so an instance that never extracts (most tests, migrations) starts no threads. */
  private piscina(): Piscina<ExtractionTask, ExtractionOutcome> {
    if (this.pool) return this.pool;
    const pool = new Piscina<ExtractionTask, ExtractionOutcome>({
      filename: this.options.workerFile ?? resolveWorkerFile('extraction/extraction.worker.js'),
      minThreads: 1,
      maxThreads: this.limits.workers,
      idleTimeout: IDLE_TIMEOUT_MS,
      concurrentTasksPerWorker: 1,
      resourceLimits: { maxOldGenerationSizeMb: this.limits.workerMemoryMb },
    });
    // A worker that dies with no task on it is reported as an 'error' event, which would crash the process unheard.
    pool.on('error', (error: unknown) => this.logger.error({ err: error }, 'extraction worker failed'));
    this.pool = pool;
    return pool;
  }

  private acquire(owner: string, group: string, signal: AbortSignal | undefined): Promise<void> {
    if (this.destroyed) return Promise.reject(new Error('the extraction pool is shut down'));
    if (signal?.aborted) return Promise.reject(abortReason(signal));
    if (this.running < this.limits.workers) {
      this.running++;
      return Promise.resolve();
    }
    // The slot is handed over by `release`, so `running` stays counted for the waiter.
    return new Promise((resolve, reject) => {
      const waiter: Waiter = { resolve, reject, dropped: false };
      this.waiting.push(owner, group, waiter);
      signal?.addEventListener(
        'abort',
        () => {
          waiter.dropped = true;
          reject(abortReason(signal));
        },
        { once: true },
      );
    });
  }

  private release(): void {
    let next = this.waiting.shift();
    while (next?.dropped) next = this.waiting.shift();
    if (next) next.resolve();
    else this.running--;
  }
}
