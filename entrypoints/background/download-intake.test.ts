import { describe, expect, it } from 'vitest';
import type { Browser } from 'wxt/browser';
import { createDownloadIntake } from './download-intake';

type Item = Browser.downloads.DownloadItem;

function item(id: number, endedAtMs: number, state: Item['state'] = 'complete'): Item {
  return { id, state, endTime: new Date(endedAtMs).toISOString(), url: `https://x/${id}`, filename: `/d/${id}` } as Item;
}

function setup(downloads: Item[], watermark: number | null) {
  const scanned: number[] = [];
  const records = new Set<number>();
  let mark = watermark;
  const intake = createDownloadIntake({
    async search(query) {
      return downloads.filter((d) =>
        (query.id === undefined || d.id === query.id) &&
        (query.state === undefined || d.state === query.state) &&
        (query.endedAfter === undefined || Date.parse(d.endTime!) > Date.parse(query.endedAfter)));
    },
    getWatermark: async () => mark,
    setWatermark: async (at) => void (mark = at),
    async scanIfNew(d) {
      if (records.has(d.id)) return;
      scanned.push(d.id);
      await new Promise((r) => setTimeout(r, 5)); // as in the engine: the record is written a moment after the check
      records.add(d.id);
    },
    now: () => 5000,
    onError: (error) => {
      throw error;
    },
  });
  return { intake, scanned, watermark: () => mark };
}

describe('download intake', () => {
  it('scans a download that completed while no worker was listening, at the next start', async () => {
    const { intake, scanned, watermark } = setup([item(1, 1000), item(2, 2000), item(3, 3000)], 1500);
    await intake.catchUp();
    expect(scanned).toEqual([2, 3]);
    expect(watermark()).toBe(3000);
  });

  it('on the very first start only remembers the time: older downloads are not scanned', async () => {
    const { intake, scanned, watermark } = setup([item(1, 1000)], null);
    await intake.catchUp();
    expect(scanned).toEqual([]);
    expect(watermark()).toBe(5000);
  });

  it('never scans a download twice when its event and the catch-up arrive together', async () => {
    const { intake, scanned } = setup([item(7, 2000)], 1000);
    await Promise.all([intake.completed(7), intake.catchUp(), intake.completed(7)]);
    expect(scanned).toEqual([7]);
  });

  it('ignores interrupted downloads', async () => {
    const { intake, scanned } = setup([item(8, 2000, 'interrupted')], 1000);
    await intake.completed(8);
    await intake.catchUp();
    expect(scanned).toEqual([]);
  });
});
