/**
 * The database's upgrades and its opening under pressure (fake-indexeddb): a version-1 or version-2
 * database made exactly as that version defined it keeps every record through the upgrade, gains the new
 * index and store, and has its old English `{ code, message }` errors and notices turned into 'legacy'
 * problems; an upgrade blocked by an old connection that never closes ends in a clear error, not a hang.
 */
import { describe, expect, it } from 'vitest';
import { inEnglish } from '@/tests/support/locale-messages';
import { ProblemError } from '../problems/problem-error';
import { createScanStore } from '../scan/scan-store';
import type { ScanRecord } from '../scan/scan-record';
import { LOCALES, translateIn } from '@/tests/support/locale-messages';
import { renderProblem } from '../problems/render-problem';
import { DB_VERSION, openScanDb } from './scan-db';
import { upgradeToQueueFields } from './queue-fields';
import { upgradeToReadFields } from './read-fields';
import { upgradeToReportAge, type ReportAgeFields } from './report-age-fields';
import { upgradeToVerdictFor } from './verdict-for';

let databases = 0;
const freshName = () => `scandock-db-test-${++databases}`;

/** An error or notice as versions 1 and 2 stored it: a code and an English message. */
const old = (value: { code: string; message: string }) => value as unknown as ScanRecord['error'];

/** A record as versions 1 to 3 stored it: one upload time, no queue place or durable wait, nothing about what its verdict is on or where its bytes came from. */
type OldRecord = Omit<ScanRecord, 'queuedAt' | 'waitUntil' | 'uploadSentAt' | 'resendRequested' | 'verdictFor' | 'readFrom' | 'readNote' | keyof ReportAgeFields> & { uploadStartedAt: number | null };

/**
 * What versions 4 to 6 make of an old record: the queue fields added, `verdictFor` ('file' for any verdict:
 * before address checks every verdict was on a file), and the read fields (null: not known), every other
 * field as it was.
 */
const withQueueFields = (record: OldRecord): ScanRecord => {
  const queued = upgradeToQueueFields(record) ?? record;
  const verdictFor = upgradeToVerdictFor(queued) ?? queued;
  const read = upgradeToReadFields(verdictFor) ?? verdictFor;
  return (upgradeToReportAge(read) ?? read) as unknown as ScanRecord;
};

/** Records as version 1 stored them: the same shape, every kind of source, every status. */
function v1Records(): OldRecord[] {
  const base = (n: number, overrides: Partial<OldRecord>): OldRecord => ({
    token: n.toString(16).padStart(64, '0'), status: 'done', step: 'finished', detected: false, verdict: 'clean', detail: [],
    stats: { malicious: 0, suspicious: 0, undetected: 60, harmless: 0, timeout: 0, 'confirmed-timeout': 0, 'type-unsupported': 8, failure: 0 },
    sha256: n.toString(16).padStart(64, 'a'), fileName: `file-${n}.exe`, size: 100 + n,
    source: { kind: 'download', url: `https://example.com/${n}.exe`, downloadId: 1000 + n },
    createdAt: 1_700_000_000_000 + n, updatedAt: 1_700_000_000_000 + n, error: null, notice: null, reportUrl: null,
    analysisId: null, uploadStartedAt: null, uploadRequested: false, bypassCache: false, analysisStartedAt: null, attempts: 0,
    browserDanger: null, seen: true, threatLabel: null, analysedAt: null, fromCache: false,
    ...overrides,
  });
  return [
    base(1, {}),
    base(2, { verdict: 'malicious', detected: true, threatLabel: 'virus.eicar/test', detail: [{ vendorName: 'Kaspersky', vendorVersion: '22', scanDetected: true, category: 'malicious', result: 'EICAR-Test-File' }] }),
    base(3, { status: 'error', verdict: null, stats: null, error: old({ code: 'source-http-status', message: 'example.com answered HTTP 403' }), source: { kind: 'link', url: 'https://example.com/x' } }),
    base(4, { status: 'progress', step: 'analysis', verdict: null, stats: null, analysisId: 'abc=', uploadStartedAt: 1_700_000_000_500 }),
    base(5, { status: 'ready', step: 'queued', verdict: null, stats: null, sha256: null, source: { kind: 'download', url: 'data:text/plain,hi', downloadId: 2000 } }),
    base(6, { verdict: 'unknown', stats: null, fileName: '한국어 파일.zip' }),
  ];
}

/** Version 1 exactly as scan-db.ts's first upgrade step defines it, with `records` in it. */
async function createV1(name: string, records: OldRecord[]): Promise<void> {
  const db = await new Promise<IDBDatabase>((resolve, reject) => {
    const open = indexedDB.open(name, 1);
    open.onupgradeneeded = () => {
      const scans = open.result.createObjectStore('scans', { keyPath: 'token' });
      scans.createIndex('sha256', 'sha256');
      scans.createIndex('createdAt', 'createdAt');
      scans.createIndex('status', 'status');
    };
    open.onsuccess = () => resolve(open.result);
    open.onerror = () => reject(open.error);
  });
  await new Promise<void>((resolve, reject) => {
    const tx = db.transaction('scans', 'readwrite');
    for (const record of records) tx.objectStore('scans').add(record);
    tx.oncomplete = () => resolve();
    tx.onerror = () => reject(tx.error);
  });
  db.close();
}

/**
 * Version 2 exactly as scan-db.ts's first two upgrade steps define it, with `records` and one picked file in it.
 * Versions 3 and 4 changed only the records, so `version` 4 with v4 records is a version-4 database.
 */
async function createV2(name: string, records: readonly object[], version = 2): Promise<void> {
  const db = await new Promise<IDBDatabase>((resolve, reject) => {
    const open = indexedDB.open(name, version);
    open.onupgradeneeded = () => {
      const scans = open.result.createObjectStore('scans', { keyPath: 'token' });
      scans.createIndex('sha256', 'sha256');
      scans.createIndex('createdAt', 'createdAt');
      scans.createIndex('status', 'status');
      scans.createIndex('downloadId', 'source.downloadId');
      open.result.createObjectStore('stagedFiles', { keyPath: 'id' });
    };
    open.onsuccess = () => resolve(open.result);
    open.onerror = () => reject(open.error);
  });
  await new Promise<void>((resolve, reject) => {
    const tx = db.transaction(['scans', 'stagedFiles'], 'readwrite');
    for (const record of records) tx.objectStore('scans').add(record);
    tx.objectStore('stagedFiles').add({ id: 'picked-1', name: 'a.txt', size: 2, blob: new Blob(['hi']), createdAt: 1 });
    tx.oncomplete = () => resolve();
    tx.onerror = () => reject(tx.error);
  });
  db.close();
}

/** Records as version 2 stored them: errors and notices with English messages, as the background wrote them. */
function v2Records(): OldRecord[] {
  const [clean, malicious, , progress, queued] = v1Records();
  return [
    clean!,
    malicious!,
    { ...v1Records()[2]!, error: old({ code: 'vt-transient', message: 'VirusTotal is temporarily unavailable (TransientError). ScanDock will retry.' }) },
    { ...progress!, status: 'ready', notice: old({ code: 'vt-quota', message: 'Waiting for VirusTotal’s per-minute quota: next request at 14:03:27.' }) },
    { ...queued!, notice: old({ code: 'vt-wrong-key', message: 'VirusTotal rejected the API key.' }) },
    { ...clean!, token: 'f'.repeat(64), status: 'error', error: old({ code: 'a-code-from-the-future', message: '' }) },
  ];
}

/** An old page's connection that ignores `versionchange` (it never closes itself). */
function openStubborn(name: string): Promise<IDBDatabase> {
  return new Promise((resolve, reject) => {
    const open = indexedDB.open(name);
    open.onsuccess = () => resolve(open.result);
    open.onerror = () => reject(open.error);
  });
}

describe('upgrading a version-1 database', () => {
  it('keeps every record as it was, and the new downloadId index and stagedFiles store work', async () => {
    const name = freshName();
    const records = v1Records();
    await createV1(name, records);

    const db = await openScanDb(name);
    expect(db.version).toBe(DB_VERSION);
    expect([...db.objectStoreNames].sort()).toEqual(['scans', 'stagedFiles']);
    // Every record as it was, but for the old error, now a problem.
    expect(await db.getAll('scans')).toEqual(
      records.map((r, i) => withQueueFields(i === 2 ? { ...r, error: { code: 'legacy', params: { code: 'source-http-status', detail: 'example.com answered HTTP 403' } } } : r)),
    );
    expect([...db.transaction('scans').store.indexNames].sort()).toEqual(['createdAt', 'downloadId', 'secondLookAt', 'sha256', 'status']);

    const store = createScanStore(db, () => 1_800_000_000_000);
    expect((await store.withDownloadId(1002)).map((r) => r.token)).toEqual([records[1]!.token]);
    expect((await store.withDownloadId(2000)).map((r) => r.token)).toEqual([records[4]!.token]);
    // The upload that left before the upgrade is still known, so it is waited for rather than sent again.
    expect((await store.get(records[3]!.token))?.uploadSentAt).toEqual([1_700_000_000_500]);
    expect((await store.get(records[3]!.token))).toMatchObject({ queuedAt: records[3]!.createdAt, waitUntil: null, resendRequested: false });
    expect(await store.get(records[3]!.token)).not.toHaveProperty('uploadStartedAt');
    // A link has no downloadId: it is simply not in that index.
    expect(await db.countFromIndex('scans', 'downloadId')).toBe(5);
    expect((await store.unfinished()).map((r) => r.token)).toEqual([records[3]!.token, records[4]!.token]);
    expect((await store.cachedReport(records[1]!.sha256!, 0))?.verdict).toBe('malicious');

    await db.put('stagedFiles', { id: 'f1', name: 'a.txt', size: 2, blob: new Blob(['hi']), createdAt: 1 });
    expect((await store.stagedFile('f1'))?.name).toBe('a.txt');
    // Writes after the upgrade go through as before.
    expect(await store.patch(records[0]!.token, { seen: false })).toMatchObject({ seen: false, fileName: 'file-1.exe' });
    db.close();

    // Opening again at the same version changes nothing.
    const again = await openScanDb(name);
    expect(await again.count('scans')).toBe(records.length);
    again.close();
  });

  it('creates an empty current database from nothing', async () => {
    const db = await openScanDb(freshName());
    expect(db.version).toBe(DB_VERSION);
    expect([...db.objectStoreNames].sort()).toEqual(['scans', 'stagedFiles']);
    expect(await db.count('scans')).toBe(0);
    db.close();
  });
});

describe('upgrading a version-2 database (errors and notices with English messages)', () => {
  it('keeps every record and picked file, and turns each old error and notice into a legacy problem', async () => {
    const name = freshName();
    const records = v2Records();
    await createV2(name, records);

    const db = await openScanDb(name);
    expect(db.version).toBe(DB_VERSION);
    const after = new Map((await db.getAll('scans')).map((r) => [r.token, r]));
    expect(after.size).toBe(records.length);
    expect(await db.get('stagedFiles', 'picked-1')).toMatchObject({ name: 'a.txt', size: 2 });

    const [clean, malicious, failed, waiting, paused, future] = records.map((r) => after.get(r.token)!);
    // Records without an error or notice are untouched.
    expect(clean).toEqual(withQueueFields(records[0]!));
    expect(malicious).toEqual(withQueueFields(records[1]!));
    expect(failed!.error).toEqual({
      code: 'legacy',
      params: { code: 'vt-transient', detail: 'VirusTotal is temporarily unavailable (TransientError). ScanDock will retry.' },
    });
    expect(waiting!.notice).toEqual({ code: 'legacy', params: { code: 'vt-quota', detail: 'Waiting for VirusTotal’s per-minute quota: next request at 14:03:27.' } });
    expect(paused!.notice).toEqual({ code: 'legacy', params: { code: 'vt-wrong-key', detail: 'VirusTotal rejected the API key.' } });
    expect(future!.error).toEqual({ code: 'legacy', params: { code: 'a-code-from-the-future' } });
    // Everything else of each record is as it was.
    for (const [i, record] of records.entries()) {
      const { error: _e, notice: _n, ...rest } = withQueueFields(record);
      expect(after.get(record.token), `record ${i}`).toMatchObject(rest);
    }

    // The popup says honestly what happened, in either language, and never the old English words.
    const en = translateIn('en');
    expect(renderProblem('error', failed!.error, en, 'en')).toBe(
      'This scan ended in an earlier version of ScanDock (reason: vt-transient). Use “Rescan” for a fresh result.',
    );
    expect(renderProblem('notice', waiting!.notice, en, 'en')).toMatch(/^This scan was waiting in an earlier version of ScanDock \(reason: vt-quota\)\./);
    for (const lang of LOCALES) {
      const text = renderProblem('error', failed!.error, translateIn(lang), lang);
      expect(text).not.toMatch(/will retry|temporarily unavailable/);
      if (lang === 'ko') expect(text).toMatch(/이전 버전의 ScanDock/);
    }

    // The store works on the upgraded records, and a second open changes nothing.
    const store = createScanStore(db, () => 1_800_000_000_000);
    expect((await store.withDownloadId(1004)).map((r) => r.token)).toEqual([records[3]!.token]);
    db.close();
    const again = await openScanDb(name);
    expect(await again.getAll('scans')).toEqual([...after.values()].sort((a, b) => a.token.localeCompare(b.token)));
    again.close();
  });
});

describe('upgrade v5: what a verdict is about', () => {
  it('every verdict written before address checks was on a file; records without a verdict get none', async () => {
    const name = freshName();
    await createV1(name, v1Records());
    const db = await openScanDb(name);
    const after = new Map((await db.getAll('scans')).map((r) => [r.token, r]));
    for (const record of v1Records()) {
      expect(after.get(record.token)?.verdictFor, record.token).toBe(record.verdict === null ? null : 'file');
    }
    db.close();
  });

  it('leaves a record that already says what its verdict is about as it is', () => {
    expect(upgradeToVerdictFor({ verdict: 'malicious', verdictFor: 'address' })).toBeNull();
    expect(upgradeToVerdictFor({ verdict: null, verdictFor: null })).toBeNull();
    expect(upgradeToVerdictFor({ verdict: 'clean' })).toEqual({ verdict: 'clean', verdictFor: 'file' });
  });
});

describe('upgrading a version-5 database (nothing about where the bytes came from)', () => {
  it('gives every record readFrom and readNote null and changes nothing else', async () => {
    const name = freshName();
    const v5 = v1Records().map((r) => upgradeToVerdictFor(upgradeToQueueFields(r)!)!);
    await createV2(name, v5, 5);

    const db = await openScanDb(name);
    expect(db.version).toBe(DB_VERSION);
    const after = await db.getAll('scans');
    expect(after).toEqual(v5.map((r) => upgradeToReportAge({ ...r, readFrom: null, readNote: null })));
    expect(await db.get('stagedFiles', 'picked-1')).toMatchObject({ name: 'a.txt' });
    db.close();
  });

  it('leaves a record that has the fields as it is', () => {
    const record = { readFrom: 'disk', readNote: null };
    expect(upgradeToReadFields(record)).toBeNull();
  });
});

describe('upgrading a version-6 database (no report age, no second looks)', () => {
  it('dates a verdict the record fetched itself by its creation, gives a copied one no date, and indexes second looks', async () => {
    const name = freshName();
    const v6 = v1Records().map((r) => upgradeToReadFields(upgradeToVerdictFor(upgradeToQueueFields(r)!)!)!);
    v6[5] = { ...v6[5]!, fromCache: true, stats: v6[0]!.stats, verdict: 'clean' };
    await createV2(name, v6, 6);

    const db = await openScanDb(name);
    const after = new Map((await db.getAll('scans')).map((r) => [r.token, r]));
    expect(after.get(v6[0]!.token)).toMatchObject({ reportFetchedAt: v6[0]!.createdAt, firstSeenAt: null, secondLook: null, secondLookAt: null });
    expect(after.get(v6[5]!.token)?.reportFetchedAt).toBeNull();
    expect(after.get(v6[2]!.token)?.reportFetchedAt).toBeNull();
    expect([...db.transaction('scans').store.indexNames]).toContain('secondLookAt');
    db.close();
  });
});

describe('an upgrade blocked by an old connection', () => {
  it('rejects with an error that says what to do instead of waiting for ever, and works once the old page closes', async () => {
    const name = freshName();
    await createV1(name, v1Records());
    const stubborn = await openStubborn(name);

    const started = Date.now();
    const outcome = await Promise.race([
      openScanDb(name, { blockedTimeoutMs: 200 }).then(
        (db) => ({ opened: db }),
        (error: unknown) => ({ error }),
      ),
      new Promise<'hung'>((resolve) => setTimeout(() => resolve('hung'), 3_000)),
    ]);
    expect(outcome).not.toBe('hung');
    expect(outcome).toHaveProperty('error');
    const error = (outcome as { error: unknown }).error;
    expect(error).toBeInstanceOf(ProblemError);
    expect((error as ProblemError).problem).toEqual({ code: 'db-blocked', params: {} });
    expect(inEnglish('error', (error as ProblemError).problem)).toMatch(/held open by an older ScanDock page.*Close ScanDock’s popup and options tabs/);
    expect(Date.now() - started).toBeLessThan(2_000);

    // The old page goes away: the next attempt upgrades, with every record kept.
    stubborn.close();
    const db = await openScanDb(name, { blockedTimeoutMs: 200 });
    expect(db.version).toBe(DB_VERSION);
    expect(await db.count('scans')).toBe(v1Records().length);
    db.close();
  });

  it('our own connections step aside for a newer version instead of blocking it', async () => {
    const name = freshName();
    const ours = await openScanDb(name);
    const newer = await new Promise<IDBDatabase>((resolve, reject) => {
      const open = indexedDB.open(name, DB_VERSION + 1);
      open.onblocked = () => reject(new Error('blocked by our own connection'));
      open.onsuccess = () => resolve(open.result);
      open.onerror = () => reject(open.error);
    });
    expect(newer.version).toBe(DB_VERSION + 1);
    newer.close();
    await expect(ours.get('scans', 'x')).rejects.toThrow();
  });
});
