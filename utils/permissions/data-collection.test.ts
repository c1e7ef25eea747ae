import { describe, expect, it } from 'vitest';
import { OPTIONAL_DATA_COLLECTION, optInsNeeding, optInsWithoutConsent, REQUIRED_DATA_COLLECTION } from './data-collection';

describe("what ScanDock declares to Firefox's data consent", () => {
  it('requires only the hash of each download, and keeps the file and the address optional', () => {
    expect(REQUIRED_DATA_COLLECTION).toEqual(['websiteActivity']);
    expect([...OPTIONAL_DATA_COLLECTION].sort()).toEqual(['browsingActivity', 'websiteContent']);
  });

  it('turns off the opt-ins whose data consent was withdrawn, and only those', () => {
    expect(optInsNeeding(['websiteContent'])).toEqual(['uploadUnknown']);
    expect(optInsNeeding(['browsingActivity', 'websiteContent'])).toEqual(['uploadUnknown', 'urlFallback']);
    expect(optInsNeeding(['technicalAndInteraction'])).toEqual([]);
  });

  it('finds the opt-ins that are on without consent (an install from before ScanDock asked)', () => {
    expect(optInsWithoutConsent({ uploadUnknown: true, urlFallback: true }, ['websiteActivity', 'browsingActivity'])).toEqual(['uploadUnknown']);
    expect(optInsWithoutConsent({ uploadUnknown: false, urlFallback: false }, ['websiteActivity'])).toEqual([]);
  });
});
