import { readFileSync, writeFileSync } from 'node:fs';

/** CPU and peak memory of this process (every thread of it) since `ProcessMeter.mark()`. */
export interface ProcessUsage {
  cpuSeconds: number;
  peakRssBytes: number;
  /** `VmHWM`: the kernel's high-water mark, reset at mark() (exact); `sampled`: the largest RSS seen every 20 ms. */
  peakMethod: 'VmHWM' | 'sampled';
}

const SAMPLE_MS = 20;

/**
 * Measures a phase of a long-running process. The kernel keeps the peak RSS of a process
 * (VmHWM), and writing 5 to /proc/self/clear_refs resets it to the current RSS (Linux 4.0+), so
 * the peak of a phase is exact even when the main thread is too busy for a timer; where that is
 * not allowed, the peak is sampled instead (and can miss a short spike).
 */
export class ProcessMeter {
  private cpuFrom = 0;
  private sampled = 0;
  private hwm = false;
  private timer: NodeJS.Timeout | undefined;

  mark(): void {
    try {
      writeFileSync('/proc/self/clear_refs', '5');
      this.hwm = vmHwmBytes() !== null;
    } catch {
      this.hwm = false;
    }
    const usage = process.cpuUsage();
    this.cpuFrom = usage.user + usage.system;
    this.sampled = process.memoryUsage.rss();
    clearInterval(this.timer);
    this.timer = setInterval(() => (this.sampled = Math.max(this.sampled, process.memoryUsage.rss())), SAMPLE_MS);
    this.timer.unref();
  }

  read(): ProcessUsage {
    const usage = process.cpuUsage();
    this.sampled = Math.max(this.sampled, process.memoryUsage.rss());
    const hwm = this.hwm ? vmHwmBytes() : null;
    return {
      cpuSeconds: (usage.user + usage.system - this.cpuFrom) / 1e6,
      peakRssBytes: Math.max(hwm ?? 0, this.sampled),
      peakMethod: hwm !== null ? 'VmHWM' : 'sampled',
    };
  }
}

function vmHwmBytes(): number | null {
  try {
    const match = /^VmHWM:\s+(\d+) kB$/m.exec(readFileSync('/proc/self/status', 'utf8'));
    return match?.[1] ? Number(match[1]) * 1024 : null;
  } catch {
    return null;
  }
}
