/**
 * A busy machine on demand: child processes that spin (`node -e 'for(;;){}'`), to show that a seeded
 * simulation gives the same answer under load. Only the processes started here are stopped, by their pid.
 */
import { spawn, type ChildProcess } from 'node:child_process';

export interface CpuHog {
  /** How many of the spinning processes are still running. */
  running(): number;
  /** Kills them (SIGKILL) and waits until they are gone. */
  stop(): Promise<void>;
}

/** Starts `processes` spinning child processes (default: two). */
export async function startCpuHog(processes = 2): Promise<CpuHog> {
  const children: ChildProcess[] = [];
  for (let i = 0; i < processes; i++) {
    const child = spawn(process.execPath, ['-e', 'for(;;){}'], { stdio: 'ignore' });
    children.push(child);
    await new Promise<void>((resolve, reject) => {
      child.once('spawn', () => resolve());
      child.once('error', reject);
    });
  }
  const alive = (child: ChildProcess) => child.exitCode === null && child.signalCode === null;
  return {
    running: () => children.filter(alive).length,
    async stop() {
      await Promise.all(children.map((child) => {
        if (!alive(child)) return Promise.resolve();
        const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
        child.kill('SIGKILL');
        return exited;
      }));
    },
  };
}
