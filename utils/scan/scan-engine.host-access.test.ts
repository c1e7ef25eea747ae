/**
 * Host access withdrawn (`hostAccess()` false): a scan waits with the 'no-host-access' notice instead of
 * failing as "offline", sends nothing, and finishes once access is back and `resume()` runs.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { createHarness, type Harness } from '@/tests/support/engine-harness';
import { link } from '@/tests/support/engine-test-kit';
import { eicarBytes } from '@/tests/emulator/fixtures';

let h: Harness;
afterEach(async () => h?.close());

describe('host access withdrawn', () => {
  it('a new scan waits (ready, with a notice), reads and sends nothing, then finishes once access is back', async () => {
    h = await createHarness();
    let granted = false;
    h.engine = h.newEngine({ hostAccess: async () => granted });
    const scan = link(h, '/eicar.com', eicarBytes());
    const token = await h.engine.scan(scan);
    const waiting = await h.result(token);
    expect(waiting).toMatchObject({ status: 'ready', step: 'queued', error: null, notice: { code: 'no-host-access' } });
    expect(h.files.hits('/eicar.com')).toBe(0);
    expect(h.emulator.requests).toHaveLength(0);

    granted = true;
    await h.engine.resume();
    expect(await h.result(token)).toMatchObject({ status: 'done', verdict: 'malicious', notice: null });
  });

  it('access withdrawn between reading and the lookup: the lookup waits, its quota slot is not spent', async () => {
    h = await createHarness();
    let checks = 0;
    let granted = true;
    // Access goes after the read step has checked it (the first check) and read the file.
    h.engine = h.newEngine({
      hostAccess: async () => {
        checks++;
        if (checks > 1) granted = false;
        return granted;
      },
    });
    const token = await h.engine.scan(link(h, '/eicar-2.com', eicarBytes()));
    expect(await h.result(token)).toMatchObject({ status: 'ready', step: 'lookup', notice: { code: 'no-host-access' } });
    expect(h.files.hits('/eicar-2.com')).toBe(1);
    expect(h.emulator.requests).toHaveLength(0);

    h.engine = h.newEngine({ hostAccess: async () => true });
    await h.engine.resume();
    expect(await h.result(token)).toMatchObject({ status: 'done', verdict: 'malicious' });
    expect(h.files.hits('/eicar-2.com')).toBe(1);
  });
});
