import { afterEach, describe, expect, it } from 'vitest';
import { openScanDb, type ScanDb } from '../db/scan-db';
import { applyChangedScans, readAllScans, readNewestScans, readScansByToken, withPrivateRecords, type ScanPage } from './scan-list';
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

describe('readScansByToken', () => {
  it('reads the announced records, undefined for one that is gone or unusable', async () => {
    const d = await dbWith(5);
    await d.put('scans', { token: 'broken', createdAt: 5_000 } as never);
    const read = await readScansByToken(d, [tokenFor(3), 'gone', 'broken']);
    expect(read.get(tokenFor(3))?.fileName).toBe('file-3.bin');
    expect(read.has('gone')).toBe(true);
    expect(read.get('gone')).toBeUndefined();
    expect(read.get('broken')).toBeUndefined();
  });
});

describe('applyChangedScans', () => {
  const rec = (i: number, createdAt = 1_000 + i, status: 'progress' | 'done' = 'done') =>
    scanRecordFixture({ token: tokenFor(i), fileName: `file-${i}.bin`, createdAt, status });
  const pageOf = (...ids: number[]): ScanPage => ({ records: ids.map((i) => rec(i)), hasMore: false });

  it('replaces a changed record in place and keeps the others as they were', () => {
    const page = pageOf(3, 2, 1);
    const next = applyChangedScans(page, new Map([[tokenFor(2), rec(2, 1_002, 'progress')]]), 50)!;
    expect(next.records.map((r) => r.status)).toEqual(['done', 'progress', 'done']);
    expect(next.records[0]).toBe(page.records[0]);
    expect(next.records[2]).toBe(page.records[2]);
  });

  it('puts a new record in order and pushes the oldest off a full page', () => {
    const next = applyChangedScans(pageOf(3, 2, 1), new Map([[tokenFor(4), rec(4)]]), 3)!;
    expect(next.records.map((r) => r.fileName)).toEqual(['file-4.bin', 'file-3.bin', 'file-2.bin']);
    expect(next.hasMore).toBe(true);
    const fits = applyChangedScans(pageOf(3, 1), new Map([[tokenFor(2), rec(2)]]), 3)!;
    expect(fits.records.map((r) => r.fileName)).toEqual(['file-3.bin', 'file-2.bin', 'file-1.bin']);
    expect(fits.hasMore).toBe(false);
  });

  it('orders like readNewestScans when records share a timestamp', async () => {
    const d = await dbWith(0);
    for (const i of [0, 1, 2, 3]) await d.put('scans', scanRecordFixture({ token: tokenFor(i), fileName: `f${i}`, createdAt: 7 }));
    const full = await readNewestScans(d, 4);
    const partial = { records: full.records.filter((r) => r.token !== tokenFor(2)), hasMore: false };
    const merged = applyChangedScans(partial, new Map([[tokenFor(2), full.records.find((r) => r.token === tokenFor(2))]]), 4)!;
    expect(merged.records.map((r) => r.token)).toEqual(full.records.map((r) => r.token));
  });

  it('asks for a full read when a record was removed or changed its date, or nothing was named', () => {
    expect(applyChangedScans(pageOf(3, 2, 1), new Map([[tokenFor(2), undefined]]), 50)).toBeNull();
    expect(applyChangedScans(pageOf(3, 2, 1), new Map([[tokenFor(9), undefined]]), 50)).toBeNull();
    expect(applyChangedScans(pageOf(3, 2, 1), new Map([[tokenFor(2), rec(2, 5)]]), 50)).toBeNull();
    expect(applyChangedScans(pageOf(3, 2, 1), new Map(), 50)).toBeNull();
  });
});

describe('withPrivateRecords', () => {
  it('puts the private windows’ records in the page by date, replacing a stale copy of the same token', () => {
    const older = scanRecordFixture({ token: tokenFor(1), createdAt: 1_000 });
    const newer = scanRecordFixture({ token: tokenFor(2), createdAt: 3_000 });
    const privateOne = scanRecordFixture({ token: tokenFor(3), createdAt: 2_000, source: { kind: 'download', url: 'https://x.example/p', downloadId: 9, incognito: true } });
    const page: ScanPage = { records: [newer, older, { ...privateOne, status: 'progress' }], hasMore: true };
    const merged = withPrivateRecords(page, [privateOne]);
    expect(merged.records.map((r) => r.token)).toEqual([tokenFor(2), tokenFor(3), tokenFor(1)]);
    expect(merged.records[1]).toBe(privateOne);
    expect(merged.hasMore).toBe(true);
    expect(withPrivateRecords(page, [])).toBe(page);
  });
});
