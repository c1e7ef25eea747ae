import { afterEach, describe, expect, it } from 'vitest';
import { openScanDb, type ScanDb } from '../db/scan-db';
import { stageAndScan, stageFiles, unstageFiles } from './stage-files';

let db: ScanDb | undefined;
let dbCount = 0;

async function freshDb(): Promise<ScanDb> {
  db = await openScanDb(`stage-files-test-${++dbCount}`);
  return db;
}

afterEach(() => {
  db?.close();
  db = undefined;
});

describe('stageFiles', () => {
  it('stores each file with its name, size, bytes and time, and returns the ids in order', async () => {
    const d = await freshDb();
    let n = 0;
    const ids = await stageFiles(
      d,
      [new File(['hello'], 'a.txt'), new File([new Uint8Array(3)], 'b\u202Egpj.exe')],
      42,
      () => `id-${++n}`,
    );
    expect(ids).toEqual(['id-1', 'id-2']);
    const a = await d.get('stagedFiles', 'id-1');
    expect(a).toMatchObject({ id: 'id-1', name: 'a.txt', size: 5, createdAt: 42 });
    expect(await a?.blob.text()).toBe('hello');
    // The name is kept exactly; cleaning it is a display concern.
    expect((await d.get('stagedFiles', 'id-2'))?.name).toBe('b\u202Egpj.exe');
  });

  it('uses random UUIDs by default', async () => {
    const ids = await stageFiles(await freshDb(), [new File(['x'], 'x'), new File(['y'], 'y')]);
    expect(ids).toHaveLength(2);
    for (const id of ids) expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(ids[0]).not.toBe(ids[1]);
  });

  it('writes nothing else: the scan records are left alone', async () => {
    const d = await freshDb();
    await stageFiles(d, [new File(['x'], 'x')]);
    expect(await d.count('scans')).toBe(0);
  });

  it('does nothing for an empty list', async () => {
    const d = await freshDb();
    expect(await stageFiles(d, [])).toEqual([]);
    expect(await d.count('stagedFiles')).toBe(0);
  });
});

describe('unstageFiles', () => {
  it('removes only the given files', async () => {
    const d = await freshDb();
    const ids = await stageFiles(d, [new File(['1'], '1'), new File(['2'], '2')]);
    await unstageFiles(d, [ids[0]!]);
    expect(await d.getAllKeys('stagedFiles')).toEqual([ids[1]]);
  });
});

describe('stageAndScan', () => {
  it('sends the staged ids to the background and returns its tokens', async () => {
    const d = await freshDb();
    let sent: string[] = [];
    const tokens = await stageAndScan(d, [new File(['x'], 'x.bin')], async (ids) => {
      sent = ids;
      return ['token-1'];
    });
    expect(tokens).toEqual(['token-1']);
    expect(await d.getAllKeys('stagedFiles')).toEqual(sent);
  });

  it('removes the staged files again when the background refuses them', async () => {
    const d = await freshDb();
    await expect(
      stageAndScan(d, [new File(['x'], 'x.bin')], async () => {
        throw new Error('The ScanDock background did not answer.');
      }),
    ).rejects.toThrow('did not answer');
    expect(await d.count('stagedFiles')).toBe(0);
  });

  it('sends nothing when no files were picked', async () => {
    let called = false;
    await stageAndScan(await freshDb(), [], async () => {
      called = true;
      return [];
    });
    expect(called).toBe(false);
  });
});
