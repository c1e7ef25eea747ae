import { describe, expect, it } from 'vitest';
import { changedRecords, seenStateOf } from './scan-changes';
import { isScansChangedMessage, onScansChanged, SCAN_CHANNEL_NAME } from '../messaging/scan-changes-channel';
import { scanRecordFixture, tokenFor } from './scan-record-fixture';

describe('isScansChangedMessage', () => {
  it('accepts only the agreed shape', () => {
    expect(isScansChangedMessage({ type: 'changed', tokens: ['a', 'b'] })).toBe(true);
    expect(isScansChangedMessage({ type: 'changed', tokens: [] })).toBe(true);
    expect(isScansChangedMessage({ type: 'changed', tokens: [1] })).toBe(false);
    expect(isScansChangedMessage({ type: 'changed' })).toBe(false);
    expect(isScansChangedMessage({ type: 'other', tokens: [] })).toBe(false);
    expect(isScansChangedMessage('changed')).toBe(false);
    expect(isScansChangedMessage(null)).toBe(false);
  });
});

describe('onScansChanged', () => {
  it('hears what the background posts on the shared channel and stops after unsubscribing', async () => {
    const heard: string[][] = [];
    const stop = onScansChanged((tokens) => heard.push(tokens));
    const background = new BroadcastChannel(SCAN_CHANNEL_NAME);
    background.postMessage({ type: 'something-else' });
    background.postMessage({ type: 'changed', tokens: ['t1'] });
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(heard).toEqual([['t1']]);
    stop();
    background.postMessage({ type: 'changed', tokens: ['t2'] });
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(heard).toEqual([['t1']]);
    background.close();
  });
});

describe('changedRecords', () => {
  it('finds new records and records whose status or verdict moved', () => {
    const a = scanRecordFixture({ token: tokenFor(1), status: 'progress', verdict: null });
    const b = scanRecordFixture({ token: tokenFor(2), status: 'done', verdict: 'clean' });
    const before = seenStateOf([a, b]);
    const c = scanRecordFixture({ token: tokenFor(3), status: 'ready', verdict: null });
    const aDone = { ...a, status: 'done' as const, verdict: 'malicious' as const };
    const bTouched = { ...b, updatedAt: b.updatedAt + 1 };
    expect(changedRecords(before, [c, aDone, bTouched]).map((r) => r.token)).toEqual([tokenFor(3), tokenFor(1)]);
  });
});
