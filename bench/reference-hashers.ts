/** The references for hash speed: coreutils `sha256sum` and `openssl dgst -sha256`, run on the same file. */
import { execFile } from 'node:child_process';

export interface ReferenceHash {
  /** Wall time of the whole command (start, read the file, hash, exit). */
  ms: number;
  sha256: string;
}

/** The commands, each printing the hex digest first on its line. */
export const REFERENCE_HASHERS = {
  sha256sum: (file: string) => ['sha256sum', [file]] as const,
  openssl: (file: string) => ['openssl', ['dgst', '-sha256', '-r', file]] as const,
} as const;

export type ReferenceName = keyof typeof REFERENCE_HASHERS;

/** Runs one reference on `file` and times it. */
export function referenceHash(name: ReferenceName, file: string): Promise<ReferenceHash> {
  const [command, args] = REFERENCE_HASHERS[name](file);
  const started = performance.now();
  return new Promise((resolve, reject) => {
    execFile(command, [...args], (error, stdout) => {
      const ms = performance.now() - started;
      if (error) return reject(new Error(`${command} failed: ${error.message}`));
      const sha256 = /^[0-9a-f]{64}/.exec(stdout)?.[0];
      if (!sha256) return reject(new Error(`${command} printed no digest: ${stdout.slice(0, 200)}`));
      resolve({ ms, sha256 });
    });
  });
}
