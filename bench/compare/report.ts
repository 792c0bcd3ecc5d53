import type { OursResult, SoloResult } from './run-ours.js';
import type { Scenario, SideResult } from './side-result.js';

const GIB = 1024 ** 3;
const MIB = 1024 ** 2;

const seconds = (ms: number): string => (ms / 1000).toFixed(2);
const perSecond = (n: number, s: SideResult): number => n / (s.ms / 1000);

/** Node + PostgreSQL (its database's backends; the machine's where those cannot be read). */
function totalCpu(s: SideResult): string {
  const pg = s.pgCpu ? (s.pgCpu.database ?? s.pgCpu.machine ?? 0) : 0;
  return (s.usage.cpuSeconds + pg).toFixed(2);
}

function pgSeconds(s: { pgCpu: SideResult['pgCpu'] }): string {
  if (!s.pgCpu) return '-';
  if (s.pgCpu.database !== null) return s.pgCpu.database.toFixed(2);
  return s.pgCpu.machine === null ? '-' : `${s.pgCpu.machine.toFixed(2)} (machine)`;
}

function rss(bytes: number, method: string): string {
  return `${Math.round(bytes / MIB)}${method === 'VmHWM' ? '' : ' (sampled)'}`;
}

/** The table of one scenario, the ratios ours / each LangChain.js run, and the notes. */
export function describeScenario(scenario: Scenario, sides: SideResult[]): string {
  const [ours, ...theirs] = sides;
  if (!ours) return '';
  const row = (s: SideResult): string =>
    `| ${s.label} | ${s.files} | ${s.pages} | ${s.chunks} | ${Math.round(s.embeddedTokens / s.embeddedInputs)} | ${seconds(s.ms)} | ` +
    `${perSecond(s.files, s).toFixed(2)} | ${perSecond(s.pages, s).toFixed(1)} | ${perSecond(s.chunks, s).toFixed(1)} | ` +
    `${rss(s.usage.peakRssBytes, s.usage.peakMethod)} | ${s.usage.cpuSeconds.toFixed(2)} | ${pgSeconds(s)} | ${totalCpu(s)} | ${s.embeddingRequests} |`;
  const ratio = (t: SideResult, n: (s: SideResult) => number): string => (perSecond(n(ours), ours) / perSecond(n(t), t)).toFixed(2);
  return [
    `Scenario "${scenario.name}": ${scenario.description}`,
    '',
    '| side | files | pages | chunks | tokens/chunk | seconds | files/s | pages/s | chunks/s | peak RSS MiB | CPU s Node | CPU s PostgreSQL | CPU s total | embedding requests |',
    '|---|---|---|---|---|---|---|---|---|---|---|---|---|---|',
    ...sides.map(row),
    '',
    ...theirs.map((t) => `ours / ${t.label}: ${ratio(t, (s) => s.files)}x files/s, ${ratio(t, (s) => s.pages)}x pages/s, ${ratio(t, (s) => s.chunks)}x chunks/s`),
    ...sides.map((s) => `${s.label}: ${Math.round(s.chunkChars / s.chunks)} characters a chunk; ${s.notes.join('; ')}`),
    ...sides
      .filter((s) => s.pgCpu)
      .map((s) => `${s.label}: PostgreSQL CPU of its database's ${s.pgCpu?.backends} backends ${pgSeconds(s)} s (every postgres process on the machine: ${s.pgCpu?.machine?.toFixed(2) ?? '-'} s)`),
  ].join('\n');
}

export function describeSolo(solo: SoloResult, engine: string): string {
  const stages = solo.stages
    ? Object.entries(solo.stages)
        .filter(([k]) => k.endsWith('_ms'))
        .map(([k, v]) => `${k.replace(/_ms$/, '')} ${seconds(v)} s`)
        .join(', ')
    : 'no log line';
  return [
    `One ${solo.pages}-page PDF uploaded alone to the idle server (${engine}, after the batch): ${solo.name}, ${solo.chunks} chunks`,
    `- upload answered after ${seconds(solo.uploadMs)} s; first searchable chunk seen after ${seconds(solo.firstChunkMs)} s; ready after ${seconds(solo.readyMs)} s ` +
      `(processed_at; seen by the 100 ms poll after ${seconds(solo.readySeenMs)} s); server span created_at to processed_at ${seconds(solo.serverMs)} s`,
    `- stages from the server's log: ${stages}; warnings and errors: ${solo.warnings.length === 0 ? 'none' : solo.warnings.join('; ')}`,
    `- server process: peak RSS ${rss(solo.usage.peakRssBytes, solo.usage.peakMethod)} MiB, CPU ${solo.usage.cpuSeconds.toFixed(2)} s; PostgreSQL ${pgSeconds(solo)} s`,
  ].join('\n');
}

/** The goals, each marked met or MISSED by this run. */
export function describeGoals(ours: OursResult, theirsIndexed: SideResult | undefined, postgres: boolean): string {
  const mark = (ok: boolean): string => (ok ? 'met' : 'MISSED');
  const lines = ['Goals (issue) on this run:'];
  if (theirsIndexed) {
    const files = perSecond(ours.side.files, ours.side) / perSecond(theirsIndexed.files, theirsIndexed);
    const pages = perSecond(ours.side.pages, ours.side) / perSecond(theirsIndexed.pages, theirsIndexed);
    lines.push(`- >= 1.8x LangChain.js + HNSW in files/s: ${files.toFixed(2)}x, ${mark(files >= 1.8)}`);
    lines.push(`- >= 1.8x LangChain.js + HNSW in pages/s: ${pages.toFixed(2)}x, ${mark(pages >= 1.8)}`);
    const tokens = (s: SideResult): number => Math.round(s.embeddedTokens / s.embeddedInputs);
    lines.push(`- same chunk budget (512 tokens): ours ${tokens(ours.side)} tokens a chunk on average, LangChain.js ${tokens(theirsIndexed)}`);
  }
  lines.push(`- both named HNSW indexes kept: ${ours.hnswIndexes.length ? ours.hnswIndexes.join('; ') : 'none found'}, ${mark(ours.hnswIndexes.length >= 2)}`);
  if (ours.solo) {
    lines.push(`- ${ours.solo.pages}-page PDF alone ready in under 5 s${postgres ? '' : ' (the goal is on PostgreSQL; this run is not)'}: ${seconds(ours.solo.readyMs)} s, ${mark(ours.solo.readyMs < 5000)}`);
    lines.push(`- its first searchable chunk after ${seconds(ours.solo.firstChunkMs)} s`);
  }
  for (const f of ours.firstChunks) {
    lines.push(
      `- in the batch, ${f.name} (${f.pages} pages): first searchable chunk seen after ${f.firstChunkMs === null ? '-' : seconds(f.firstChunkMs)} s ` +
        `(250 ms probe), ready after ${seconds(f.readyMs)} s (from its upload being sent)`,
    );
  }
  const peak = ours.side.usage.peakRssBytes;
  lines.push(`- server peak RSS during the batch under 1.5 GiB: ${(peak / GIB).toFixed(2)} GiB (${Math.round(peak / MIB)} MiB), ${mark(peak < 1.5 * GIB)}`);
  return lines.join('\n');
}
