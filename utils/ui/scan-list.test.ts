import { afterEach, describe, expect, it } from 'vitest';
import { openScanDb, type ScanDb } from '../db/scan-db';
import { readAllScans, readNewestScans } from './scan-list';
import { scanRecordFixture, tokenFor } from './scan-record-fixture';

let db: ScanDb | undefined;
let dbCount = 0;

async function dbWith(count: number): Promise<ScanDb> {
  db = await openScanDb(`scan-list-test-${++dbCount}`);
  const tx = db.transaction('scans', 'readwrite');
  // Inserted in shuffled order so the index, not insertion order, decides what comes back.
  const order = Array.from({ length: count }, (_, i) => i).sort((a, b) => ((a * 7919) % count) - ((b * 7919) % count));
  for (const i of order) {
    await tx.store.put(scanRecordFixture({ token: tokenFor(i), fileName: `file-${i}.bin`, createdAt: 1_000 + i }));
  }
  await tx.done;
  return db;
}

afterEach(() => {
  db?.close();
  db = undefined;
});

describe('readNewestScans', () => {
  it('returns the newest records first, up to the limit, and says more exist', async () => {
    const page = await readNewestScans(await dbWith(1200), 50);
    expect(page.records).toHaveLength(50);
    expect(page.records[0]?.fileName).toBe('file-1199.bin');
    expect(page.records[49]?.fileName).toBe('file-1150.bin');
    expect(page.hasMore).toBe(true);
  });

  it('says nothing more exists when everything fits', async () => {
    const page = await readNewestScans(await dbWith(3), 50);
    expect(page.records.map((r) => r.fileName)).toEqual(['file-2.bin', 'file-1.bin', 'file-0.bin']);
    expect(page.hasMore).toBe(false);
  });

  it('reports an exact fit as complete', async () => {
    const page = await readNewestScans(await dbWith(50), 50);
    expect(page.records).toHaveLength(50);
    expect(page.hasMore).toBe(false);
  });

  it('pages exactly when records share a timestamp across the page boundary', async () => {
    const d = await dbWith(0);
    const times = [1, 2, 2, 2, 3];
    for (const [i, createdAt] of times.entries()) {
      await d.put('scans', scanRecordFixture({ token: tokenFor(i), fileName: `f${i}`, createdAt }));
    }
    const page = await readNewestScans(d, 2);
    expect(page.records.map((r) => r.fileName)).toEqual(['f4', 'f3']);
    expect(page.hasMore).toBe(true);
    // The same order a 'prev' cursor walks, which is what the page must match.
    const tx = d.transaction('scans');
    const walked: string[] = [];
    for (let c = await tx.store.index('createdAt').openCursor(null, 'prev'); c; c = await c.continue()) walked.push(c.value.fileName);
    expect((await readNewestScans(d, 4)).records.map((r) => r.fileName)).toEqual(walked.slice(0, 4));
    expect((await readNewestScans(d, 5)).hasMore).toBe(false);
  });

  it('handles an empty history', async () => {
    expect(await readNewestScans(await dbWith(0), 50)).toEqual({ records: [], hasMore: false });
  });

  it('skips stored values that are not usable records', async () => {
    const d = await dbWith(2);
    await d.put('scans', { token: 'broken', createdAt: 5_000 } as never);
    const page = await readNewestScans(d, 50);
    expect(page.records.map((r) => r.fileName)).toEqual(['file-1.bin', 'file-0.bin']);
  });

  it('does not write to the database', async () => {
    const d = await dbWith(5);
    const before = await d.getAll('scans');
    await readNewestScans(d, 2);
    expect(await d.getAll('scans')).toEqual(before);
  });
});

describe('readAllScans', () => {
  it('returns every record, newest first', async () => {
    const all = await readAllScans(await dbWith(120));
    expect(all).toHaveLength(120);
    expect(all[0]?.fileName).toBe('file-119.bin');
    expect(all[119]?.fileName).toBe('file-0.bin');
  });
});
