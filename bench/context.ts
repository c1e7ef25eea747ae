/** What every bench phase works with. */
import type { VirusTotalEmulator } from '../tests/emulator/virustotal-emulator';
import type { ExtensionBrowser } from '../tests/support/extension-browser';
import type { BenchPlan } from './plan';
import type { Probes } from './probes';
import type { BenchSite } from './site';

export interface BenchContext {
  plan: BenchPlan;
  log(line: string): void;
  probes: Probes;
  site: BenchSite;
  /** The emulator the main build talks to: quotas high enough never to hold a figure back. */
  emulator: VirusTotalEmulator;
  /** The built extension (against `emulator`), loaded by every browser of the main phases. */
  extensionDir: string;
  /** Prefix of this bench's build folders under tests/artifacts. */
  buildName: string;
}

/** A context with its main browser running. */
export interface BrowserContextParts extends BenchContext {
  ext: ExtensionBrowser;
}
