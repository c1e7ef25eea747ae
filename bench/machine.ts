/** The machine a result was measured on, as the README table states it. */
import { execFileSync } from 'node:child_process';
import { cpus, loadavg, totalmem } from 'node:os';
import { CHROMIUM_PATH } from '../tests/support/extension-browser';

export interface MachineInfo {
  nproc: number;
  cpu: string;
  memTotal: string;
  /** `free -h` as printed. */
  free: string;
  chromium: string;
  node: string;
  /** 1-minute load average when the run started and ended: other work on the machine skews timings. */
  loadAtStart: number;
  loadAtEnd?: number;
  date: string;
  commit: string;
}

function run(command: string, args: string[]): string {
  try {
    return execFileSync(command, args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
  } catch {
    return 'unknown';
  }
}

export function machineInfo(): MachineInfo {
  const chromium = run(CHROMIUM_PATH, ['--version']).split('\n').filter((l) => /chromium/i.test(l)).pop() ?? 'unknown';
  return {
    nproc: Number(run('nproc', [])) || cpus().length,
    cpu: cpus()[0]?.model ?? 'unknown',
    memTotal: `${(totalmem() / 1024 ** 3).toFixed(1)} GiB`,
    free: run('free', ['-h']),
    chromium,
    node: process.version,
    loadAtStart: loadavg()[0] ?? Number.NaN,
    date: new Date().toISOString(),
    commit: run('git', ['rev-parse', '--short', 'HEAD']),
  };
}
