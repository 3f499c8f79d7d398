import { readFileSync, readdirSync } from 'node:fs';

/** CPU seconds of one process by kind of thread: the JS main thread, libvips' decoders, the rest (ONNX Runtime workers, libuv pool, GC). */
export interface ThreadCpu {
  readonly main: number;
  readonly libvips: number;
  readonly other: number;
}

const ticks = (stat: string): number => {
  const fields = stat.split(') ')[1]?.split(' ') ?? [];
  return (Number(fields[11]) + Number(fields[12])) / 100;
};

/**
 * Reads /proc/<pid>/task (Linux). Threads that exited since the last look are missed, which is
 * why the bench reads it before and after, and why `other` is only the share still alive.
 */
export function threadCpu(pid: number): ThreadCpu {
  let main = 0;
  let libvips = 0;
  let other = 0;
  for (const tid of readdirSync(`/proc/${pid}/task`)) {
    try {
      const s = ticks(readFileSync(`/proc/${pid}/task/${tid}/stat`, 'utf8'));
      const name = readFileSync(`/proc/${pid}/task/${tid}/comm`, 'utf8').trim();
      if (tid === String(pid)) main += s;
      else if (name.startsWith('libvips')) libvips += s;
      else other += s;
    } catch {
      // the thread ended between the listing and the read
    }
  }
  return { main, libvips, other };
}

export const cpuDelta = (a: ThreadCpu, b: ThreadCpu): ThreadCpu => ({ main: b.main - a.main, libvips: b.libvips - a.libvips, other: b.other - a.other });

/**
 * CPU seconds of the PostgreSQL backends serving `database` (their command line names it) plus the
 * WAL writer and checkpointer, which every commit makes work. Other databases' backends (other
 * work on the same server) are left out; a backend that exited between two looks is missed.
 */
export function postgresCpu(database: string): number {
  let total = 0;
  for (const pid of readdirSync('/proc')) {
    if (!/^\d+$/.test(pid)) continue;
    try {
      if (readFileSync(`/proc/${pid}/comm`, 'utf8').trim() !== 'postgres') continue;
      const cmd = readFileSync(`/proc/${pid}/cmdline`, 'utf8').replaceAll('\0', ' ');
      if (cmd.includes(` ${database} `) || /walwriter|checkpointer|background writer/.test(cmd)) total += ticks(readFileSync(`/proc/${pid}/stat`, 'utf8'));
    } catch {
      // gone
    }
  }
  return total;
}

/** The database a service process uses, from its environment (the stack gives each run its own). */
export function databaseOf(pid: number): string | null {
  const env = readFileSync(`/proc/${pid}/environ`, 'utf8').split('\0');
  const url = env.find((e) => e.startsWith('DATABASE_URL='))?.slice('DATABASE_URL='.length);
  return url ? new URL(url).pathname.slice(1) : null;
}
