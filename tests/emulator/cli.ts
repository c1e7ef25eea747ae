/**
 * `npm run emulator [-- --port 8090]`: a VirusTotal v3 emulator to point a dev build at by hand.
 * Port from --port, else $PORT, else a free one. Stays up until Ctrl-C.
 */
import { eicarBytes, EICAR_SHA256, MALWARE_MARKER } from './fixtures';
import { DEMO_API_KEY, startVirusTotalEmulator } from './virustotal-emulator';

function portFromArgs(argv: readonly string[], env: NodeJS.ProcessEnv): number {
  const i = argv.findIndex((a) => a === '--port' || a.startsWith('--port='));
  const raw = i < 0 ? env.PORT : (argv[i]?.includes('=') ? argv[i]?.split('=')[1] : argv[i + 1]);
  const port = Number(raw ?? 0);
  if (!Number.isInteger(port) || port < 0 || port > 65_535) throw new RangeError(`invalid port "${raw}"`);
  return port;
}

const emulator = await startVirusTotalEmulator({ port: portFromArgs(process.argv.slice(2), process.env) });
console.log(`VirusTotal v3 emulator at ${emulator.baseUrl}
API key: ${DEMO_API_KEY}
Known: EICAR (${EICAR_SHA256}, ${eicarBytes().length} bytes) and the clean sample.
Uploads containing "${MALWARE_MARKER}" come back malicious. Ctrl-C to stop.
Try: curl -H "x-apikey: ${DEMO_API_KEY}" ${emulator.baseUrl}/files/${EICAR_SHA256}`);

// Log each request as it is answered, so a person can watch the extension's traffic and quota use.
let shown = 0;
const ticker = setInterval(() => {
  for (const r of emulator.requests.slice(shown)) {
    if (r.status === 0 && r.fault === undefined) break;
    console.log(`${new Date(r.at).toISOString()} ${r.method} ${r.path} → ${r.status || 'no answer'}${r.fault ? ` (fault: ${r.fault})` : ''}`);
    shown += 1;
  }
}, 250);

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    clearInterval(ticker);
    void emulator.close().then(() => process.exit(0));
  });
}
