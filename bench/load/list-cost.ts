import type { ProbeSnapshot } from '../pool-probe.js';
import { percentile } from './route-stats.js';

export interface PhaseCost {
  label: string;
  /** Requests answered in the phase (all routes). */
  requests: number;
  /** Requests the phase kept in flight. */
  inFlight: number;
  seconds: number;
  probe: ProbeSnapshot;
  /** CPU seconds of the PostgreSQL backends of the run's database; null on PGlite or where unreadable. */
  postgresCpu: number | null;
  /** CPU seconds of the benchmark's own process (the clients), which shares the machine. */
  clientCpu: number;
  poolMax: number;
}

const f = (x: number, digits = 1): string => (Number.isFinite(x) ? x.toFixed(digits) : '-');
const sorted = (xs: number[]): number[] => [...xs].sort((a, b) => a - b);
const sum = (xs: number[]): number => xs.reduce((a, b) => a + b, 0);

/**
 * What each request cost the server in a phase, from the pool probe: statements and pool checkouts
 * per request by class, how long each class held its connection (p50/p95) and how much of that was
 * the statements themselves, how long callers waited for a connection, and the process's CPU and
 * event-loop use; then the queueing arithmetic (Little's law) that ties them to the latency.
 */
export function describeCost(phase: PhaseCost): string[] {
  const { probe, requests } = phase;
  const per = (n: number): string => f(n / requests, 2);
  const throughput = requests / phase.seconds;
  const lines = [
    `${phase.label}: ${requests} requests in ${f(phase.seconds)} s (${f(throughput)} /s) with ${phase.inFlight} in flight; ` +
      `event loop busy ${f(probe.eventLoopUtilization * 100, 0)} % (delay p50 ${f(probe.eventLoopDelayP50Ms)} ms, p99 ${f(probe.eventLoopDelayP99Ms)} ms); ` +
      `server CPU ${f((probe.cpuSeconds * 1000) / requests, 2)} ms a request` +
      (phase.postgresCpu !== null ? `, PostgreSQL ${f((phase.postgresCpu * 1000) / requests, 2)} ms a request` : '') +
      `; the clients' own CPU ${f(phase.clientCpu, 1)} s`,
    `  statements a request: ${Object.entries(probe.statements).sort((a, b) => b[1].count - a[1].count).map(([k, v]) => `${k} ${per(v.count)} (${f(v.ms / v.count, 2)} ms)`).join(', ')}`,
  ];
  let connectionMs = 0;
  for (const [kind, c] of Object.entries(probe.checkouts).sort((a, b) => b[1].count - a[1].count)) {
    const hold = sorted(c.holdMs);
    connectionMs += sum(c.holdMs);
    lines.push(
      `  checkouts ${kind}: ${per(c.count)} a request, ${f(sum(c.statements) / c.count, 1)} statements each; held p50 ${f(percentile(hold, 50), 2)} ms, ` +
        `p95 ${f(percentile(hold, 95), 2)} ms, mean ${f(sum(c.holdMs) / c.count, 2)} ms, of which statements ${f(sum(c.statementMs) / c.count, 2)} ms`,
    );
  }
  const wait = sorted(probe.waitMs);
  lines.push(`  waiting for a connection: p50 ${f(percentile(wait, 50))} ms, p95 ${f(percentile(wait, 95))} ms, at most ${probe.peakWaiting} callers waiting at once (pool of ${phase.poolMax})`);
  if (phase.inFlight > 1) {
    const perRequest = connectionMs / requests;
    const poolCap = (phase.poolMax * 1000) / perRequest;
    const cpuCap = 1000 / ((probe.cpuSeconds * 1000) / requests);
    lines.push(
      `  queueing: ${phase.inFlight} in flight at ${f(throughput)} /s is ${f((phase.inFlight / throughput) * 1000, 0)} ms a request (Little's law); ` +
        `connections were held ${f(perRequest, 2)} ms a request, so ${phase.poolMax} of them serve at most ${f(poolCap, 0)} /s ` +
        `(${f((throughput / poolCap) * 100, 0)} % used); one thread at ${f((probe.cpuSeconds * 1000) / requests, 2)} ms a request serves at most ${f(cpuCap, 0)} /s`,
    );
  }
  return lines;
}
