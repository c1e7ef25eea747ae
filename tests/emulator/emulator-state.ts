/**
 * Everything the emulator knows, independent of HTTP: known files, analyses and their progress,
 * URL reports, uploads, upload URLs. Routes translate requests into calls on this class.
 */
import { randomBytes } from 'node:crypto';
import { buildScan, type Profile, type Scan } from './engines';
import { sniffFileType, type FileType } from './file-type';
import { EICAR_SHA256, MALWARE_MARKER, cleanSampleBytes, eicarBytes, md5Hex, sha1Hex, sha256Hex } from './fixtures';
import { buildUrlScan, type UrlScan } from './url-scanners';
import type { VisitOutcome } from './url-visit';

/** Hashes, size and type of a file. */
export interface FileFacts {
  md5: string;
  sha1: string;
  sha256: string;
  size: number;
  type: FileType;
}

/** A file the emulator has a report for. */
export interface KnownFile extends FileFacts {
  profile: Profile;
  names: string[];
  /** Unix seconds. */
  firstSubmissionDate: number;
  /** Unix seconds. */
  lastAnalysisDate: number;
  timesSubmitted: number;
  reputation: number;
  totalVotes: { harmless: number; malicious: number };
  tags: string[];
  scan: Scan;
}

/** A URL the emulator has a report for. */
export interface KnownUrl {
  /** SHA-256 of the canonical URL. */
  id: string;
  url: string;
  firstSubmissionDate: number;
  lastAnalysisDate: number;
  timesSubmitted: number;
  scan: UrlScan;
  finalUrl: string;
  /** Null when the host could not be reached. */
  httpCode: number | null;
  contentSha256: string | null;
}

/** `data.attributes.status` of an analysis. */
export type AnalysisStatus = 'queued' | 'in-progress' | 'completed';

interface AnalysisBase {
  id: string;
  /** Unix seconds of the submission. */
  date: number;
  /** GET /analyses/{id} answers given so far. */
  answers: number;
  status: AnalysisStatus;
}

/** The analysis of an uploaded or re-analysed file. */
export interface FileAnalysis extends AnalysisBase {
  kind: 'file';
  facts: FileFacts;
  profile: Profile;
  names: string[];
  /** Uploads count as submissions; re-analyses do not. */
  isSubmission: boolean;
}

/** What a URL visit left behind, once the analysis got that far. */
interface UrlVisit {
  outcome: VisitOutcome;
  content: { facts: FileFacts; profile: Profile } | null;
}

/** The analysis of a submitted URL. */
export interface UrlAnalysis extends AnalysisBase {
  kind: 'url';
  url: string;
  urlId: string;
  /** The scanners already listed the address when it was submitted: it stays flagged, whatever it serves. */
  listed: boolean;
  visit: Promise<UrlVisit> | null;
  visited: UrlVisit | null;
}

/** Any analysis the emulator runs. */
export type Analysis = FileAnalysis | UrlAnalysis;

/** An analysis as one poll saw it (later polls move the live object on). */
export interface AnalysisSnapshot {
  analysis: Analysis;
  status: AnalysisStatus;
  /** Share of the engines that have answered: 0 when queued, 1 when completed. */
  fraction: number;
}

/** One accepted upload. */
export interface UploadRecord {
  sha256: string;
  name: string;
  size: number;
  via: 'files' | 'upload_url';
}

/** Decides the verdict for an uploaded or fetched file. */
export type UploadProfile = (bytes: Uint8Array, name: string) => Profile;

/** Settings the state needs from the emulator. */
export interface StateOptions {
  now: () => number;
  analysisPolls: number;
  /** A file analysis also completes on its own this long after its submission, polled or not. */
  analysisCompletesAfterMs?: number;
  knownFiles: boolean;
  /** Preload KNOWN_MALICIOUS_URL and KNOWN_CLEAN_URL. */
  knownUrls?: boolean;
  /**
   * Whether what a URL visit fetched becomes a known file (default true). False: the URL report names the
   * content's SHA-256, but `GET /files/{it}` is 404, as when VirusTotal has not (yet) made a file report of it.
   */
  fileReportsFromUrls?: boolean;
  visit: (url: string) => Promise<VisitOutcome>;
}

/** An address the URL scanners flag (preloaded): reserved .test names, never fetched by anyone. */
export const KNOWN_MALICIOUS_URL = 'https://malware.scandock.test/dropper.exe';
/** An address the URL scanners call harmless (preloaded). */
export const KNOWN_CLEAN_URL = 'https://clean.scandock.test/';

/** EICAR as AV products define it: the 68 bytes, optionally followed by whitespace, at most 128 bytes. */
function isEicar(bytes: Uint8Array): boolean {
  const eicar = eicarBytes();
  if (bytes.length < eicar.length || bytes.length > 128) return false;
  const buf = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  return buf.subarray(0, eicar.length).equals(eicar) && /^\s*$/.test(buf.subarray(eicar.length).toString('latin1'));
}

/** The default verdict: EICAR is 'eicar', anything with the test marker 'malicious', the rest 'clean'. */
export const defaultUploadProfile: UploadProfile = (bytes) => {
  if (isEicar(bytes)) return 'eicar';
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).includes(MALWARE_MARKER) ? 'malicious' : 'clean';
};

/** Hashes, size and type of `bytes`. */
export function factsOf(bytes: Uint8Array): FileFacts {
  return { md5: md5Hex(bytes), sha1: sha1Hex(bytes), sha256: sha256Hex(bytes), size: bytes.length, type: sniffFileType(bytes) };
}

/**
 * The id VirusTotal gives URLs: SHA-256 of the canonical URL. Canonical here is the WHATWG href
 * (scheme and host lower-cased, "/" for an empty path), with "http://" added when the scheme is missing,
 * as VirusTotal does; throws on anything that is not an http(s) URL.
 */
export function canonicalUrl(input: string): string {
  const trimmed = input.trim();
  const withScheme = /^[a-z][a-z0-9+.-]*:/i.test(trimmed) ? trimmed : `http://${trimmed}`;
  const url = new URL(withScheme);
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new TypeError(`not an http(s) URL: ${input}`);
  return url.href;
}

const PROFILE_DEFAULTS: Record<Profile, { reputation: number; votes: { harmless: number; malicious: number }; tags: string[] }> = {
  // The doc's point: EICAR has a high reputation and the tag "legit", yet engines call it malicious.
  eicar: { reputation: 3658, votes: { harmless: 1180, malicious: 261 }, tags: ['legit', 'known-distributor'] },
  malicious: { reputation: -15, votes: { harmless: 0, malicious: 3 }, tags: [] },
  suspicious: { reputation: 0, votes: { harmless: 0, malicious: 0 }, tags: [] },
  clean: { reputation: 0, votes: { harmless: 0, malicious: 0 }, tags: [] },
};

/** The emulator's memory. */
export class EmulatorState {
  readonly files = new Map<string, KnownFile>();
  readonly urls = new Map<string, KnownUrl>();
  readonly analyses = new Map<string, Analysis>();
  readonly uploads: UploadRecord[] = [];
  readonly urlSubmissions: string[] = [];
  uploadProfile: UploadProfile = defaultUploadProfile;
  /** MD5 and SHA-1 → SHA-256. */
  private readonly aliases = new Map<string, string>();
  /** Upload URL tokens: true while unused. */
  private readonly uploadTokens = new Map<string, boolean>();

  constructor(private readonly options: StateOptions) {
    if (options.knownFiles) this.preload();
    if (options.knownUrls) {
      this.addUrl(KNOWN_MALICIOUS_URL, 'malicious');
      this.addUrl(KNOWN_CLEAN_URL, 'clean');
    }
  }

  /**
   * Makes `url` a known address, analysed an hour ago, that the URL scanners call malicious or clean; what it
   * served is not known (no content hash), as for most addresses VirusTotal has only scanned. Returns its id.
   */
  addUrl(received: string, verdict: 'malicious' | 'clean'): string {
    const url = canonicalUrl(received);
    const id = this.urlIdOf(url);
    const date = this.unixNow() - 3600;
    this.urls.set(id, {
      id, url, firstSubmissionDate: date - 86_400, lastAnalysisDate: date, timesSubmitted: 2,
      scan: buildUrlScan(verdict === 'malicious'), finalUrl: url, httpCode: null, contentSha256: null,
    });
    return id;
  }

  /** Unix seconds by the emulator's clock. */
  unixNow(): number {
    return Math.floor(this.options.now() / 1000);
  }

  /** Makes `bytes` a known file with `profile`; returns its SHA-256. */
  addFile(bytes: Uint8Array, profile: Profile, names: string[] = []): string {
    const facts = factsOf(bytes);
    this.remember(facts, profile, names, this.unixNow(), false);
    return facts.sha256;
  }

  /**
   * VirusTotal analysed a known file again and its engines now say `profile` (a file new to it, clean on the
   * day it was first seen, is detected days later): a new `last_analysis_date`, the first submission kept.
   */
  reanalyseAs(hash: string, profile: Profile): void {
    const file = this.findFile(hash);
    if (!file) throw new Error(`the emulator does not know ${hash}`);
    Object.assign(file, { profile, scan: buildScan(profile), lastAnalysisDate: this.unixNow() });
  }

  /** The known file with this MD5, SHA-1 or SHA-256 (lower-case hex). */
  findFile(hash: string): KnownFile | undefined {
    this.completeDueAnalyses();
    return this.files.get(this.aliases.get(hash) ?? hash);
  }

  /** Records an upload and starts its analysis; returns the analysis id. */
  upload(bytes: Uint8Array, name: string, via: UploadRecord['via']): string {
    const facts = factsOf(bytes);
    this.uploads.push({ sha256: facts.sha256, name, size: facts.size, via });
    // A file already known keeps its verdict: a re-upload is a re-scan, not a new file.
    const profile = this.files.get(facts.sha256)?.profile ?? this.uploadProfile(bytes, name);
    return this.startFileAnalysis(facts, profile, name === '' ? [] : [name], true);
  }

  /** Starts a re-analysis of a known file; returns the analysis id. */
  reanalyse(file: KnownFile): string {
    return this.startFileAnalysis(file, file.profile, [], false);
  }

  /** Records a URL submission and starts its analysis; returns the analysis id. Throws on a non-http(s) URL. */
  async submitUrl(received: string): Promise<string> {
    const url = canonicalUrl(received);
    this.urlSubmissions.push(received);
    const urlId = this.urlIdOf(url);
    const date = this.unixNow();
    const id = `u-${urlId}-${date}`;
    if (!this.analyses.has(id)) {
      const analysis: UrlAnalysis = {
        kind: 'url', id, date, answers: 0, status: 'queued', url, urlId, visit: null, visited: null,
        listed: (this.urls.get(urlId)?.scan.stats.malicious ?? 0) > 0,
      };
      this.analyses.set(id, analysis);
      if (this.options.analysisPolls === 0) await this.complete(analysis);
    }
    return id;
  }

  /** The id of a URL: SHA-256 of its canonical form. Throws on a non-http(s) URL. */
  urlIdOf(url: string): string {
    return sha256Hex(canonicalUrl(url));
  }

  /** The known URL with this SHA-256 id. */
  findUrl(id: string): KnownUrl | undefined {
    return this.urls.get(id);
  }

  /**
   * Answers one GET /analyses/{id}: the first answer says queued, the next ones in-progress with more
   * engines each time, and the one after `analysisPolls` answers completes it.
   */
  async poll(id: string): Promise<AnalysisSnapshot | null> {
    this.completeDueAnalyses();
    const analysis = this.analyses.get(id);
    if (analysis === undefined) return null;
    if (analysis.status === 'completed') return { analysis, status: 'completed', fraction: 1 };
    analysis.answers += 1;
    const polls = this.options.analysisPolls;
    if (analysis.answers > polls || this.isDue(analysis)) {
      await this.complete(analysis);
      return { analysis, status: 'completed', fraction: 1 };
    }
    if (analysis.answers === 1) return { analysis, status: 'queued', fraction: 0 };
    analysis.status = 'in-progress';
    // A URL is fetched as soon as its analysis runs, so partial results already reflect the content.
    if (analysis.kind === 'url') await this.visitOnce(analysis);
    return { analysis, status: 'in-progress', fraction: (analysis.answers - 1) / polls };
  }

  /** A new single-use upload token. */
  issueUploadToken(): string {
    const token = randomBytes(18).toString('base64url');
    this.uploadTokens.set(token, true);
    return token;
  }

  /** Spends an upload token: 'ok' the first time, then 'used'; 'unknown' if never issued. */
  spendUploadToken(token: string): 'ok' | 'used' | 'unknown' {
    const fresh = this.uploadTokens.get(token);
    if (fresh === undefined) return 'unknown';
    this.uploadTokens.set(token, false);
    return fresh ? 'ok' : 'used';
  }

  private startFileAnalysis(facts: FileFacts, profile: Profile, names: string[], isSubmission: boolean): string {
    const date = this.unixNow();
    // VirusTotal's file analysis id: base64 of "md5:unix seconds"; the same file in the same second shares it.
    const id = Buffer.from(`${facts.md5}:${date}`).toString('base64');
    if (!this.analyses.has(id)) {
      const analysis: FileAnalysis = {
        kind: 'file', id, date, answers: 0, status: 'queued',
        facts: { md5: facts.md5, sha1: facts.sha1, sha256: facts.sha256, size: facts.size, type: facts.type },
        profile, names, isSubmission,
      };
      this.analyses.set(id, analysis);
      if (this.options.analysisPolls === 0) void this.complete(analysis);
    }
    return id;
  }

  /**
   * VirusTotal finishes an analysis whether or not anyone polls it: with `analysisCompletesAfterMs`, file
   * analyses that old are completed (so a lookup finds an upload whose answer the client lost), and a
   * poll of any analysis that old finds it completed.
   */
  private completeDueAnalyses(): void {
    for (const analysis of this.analyses.values()) {
      // URL analyses complete when polled (below): finishing one means visiting the URL first.
      if (analysis.kind === 'file' && this.isDue(analysis)) void this.complete(analysis);
    }
  }

  /** Whether `analysis` has run long enough to have finished on its own (`analysisCompletesAfterMs`). */
  private isDue(analysis: Analysis): boolean {
    const after = this.options.analysisCompletesAfterMs;
    return after !== undefined && analysis.status !== 'completed' && this.options.now() - analysis.date * 1000 >= after;
  }

  private visitOnce(analysis: UrlAnalysis): Promise<UrlVisit> {
    analysis.visit ??= this.options.visit(analysis.url).then((outcome) => {
      let content: UrlVisit['content'] = null;
      if (outcome.reached) {
        const facts = factsOf(outcome.body);
        const known = this.files.get(facts.sha256);
        content = { facts, profile: known?.profile ?? this.uploadProfile(outcome.body, lastPathSegment(outcome.finalUrl)) };
      }
      analysis.visited = { outcome, content };
      return analysis.visited;
    });
    return analysis.visit;
  }

  private async complete(analysis: Analysis): Promise<void> {
    if (analysis.kind === 'file') {
      if (analysis.status === 'completed') return;
      analysis.status = 'completed';
      this.remember(analysis.facts, analysis.profile, analysis.names, analysis.date, analysis.isSubmission);
      return;
    }
    const visit = await this.visitOnce(analysis);
    // Two polls may have awaited the same visit: only the first one records the result.
    if (analysis.status === 'completed') return;
    analysis.status = 'completed';
    let contentSha256: string | null = null;
    let malware = false;
    if (visit.content !== null) {
      const name = lastPathSegment(visit.outcome.finalUrl);
      const profile = this.options.fileReportsFromUrls === false
        ? visit.content.profile
        : this.remember(visit.content.facts, visit.content.profile, name === '' ? [] : [name], analysis.date, true).profile;
      contentSha256 = visit.content.facts.sha256;
      malware = profile === 'eicar' || profile === 'malicious';
    }
    const previous = this.urls.get(analysis.urlId);
    // An address the scanners list stays listed, whatever it serves today.
    if (analysis.listed) malware = true;
    this.urls.set(analysis.urlId, {
      id: analysis.urlId,
      url: analysis.url,
      firstSubmissionDate: previous?.firstSubmissionDate ?? analysis.date,
      lastAnalysisDate: analysis.date,
      timesSubmitted: (previous?.timesSubmitted ?? 0) + 1,
      scan: buildUrlScan(malware),
      finalUrl: visit.outcome.finalUrl,
      httpCode: visit.outcome.reached ? visit.outcome.status : null,
      contentSha256,
    });
  }

  /** Creates or refreshes a known file after an analysis of it finished at `date`. */
  private remember(facts: FileFacts, profile: Profile, names: string[], date: number, isSubmission: boolean): KnownFile {
    const existing = this.files.get(facts.sha256);
    if (existing !== undefined) {
      existing.names = [...new Set([...existing.names, ...names])];
      existing.lastAnalysisDate = Math.max(existing.lastAnalysisDate, date);
      existing.scan = buildScan(existing.profile);
      if (isSubmission) existing.timesSubmitted += 1;
      return existing;
    }
    const defaults = PROFILE_DEFAULTS[profile];
    const file: KnownFile = {
      ...facts,
      profile,
      names: [...new Set(names)],
      firstSubmissionDate: date,
      lastAnalysisDate: date,
      timesSubmitted: 1,
      reputation: defaults.reputation,
      totalVotes: { ...defaults.votes },
      tags: [facts.type.tag, ...defaults.tags],
      scan: buildScan(profile),
    };
    this.files.set(file.sha256, file);
    this.aliases.set(file.md5, file.sha256);
    this.aliases.set(file.sha1, file.sha256);
    return file;
  }

  /** EICAR and the clean sample, with the long history a real report shows. */
  private preload(): void {
    const lastScan = this.unixNow() - 3600;
    const eicar = this.remember(factsOf(eicarBytes()), 'eicar', ['eicar.com', 'eicar.com.txt', 'eicar.txt'], lastScan, false);
    Object.assign(eicar, { firstSubmissionDate: 1_148_301_722, timesSubmitted: 961_187 });
    const clean = this.remember(factsOf(cleanSampleBytes()), 'clean', ['scandock-clean-sample.txt'], lastScan, false);
    Object.assign(clean, { firstSubmissionDate: lastScan - 30 * 86_400, timesSubmitted: 3 });
    if (eicar.sha256 !== EICAR_SHA256) throw new Error('the EICAR fixture does not hash to the documented SHA-256');
  }
}

function lastPathSegment(url: string): string {
  try {
    return decodeURIComponent(new URL(url).pathname.split('/').pop() ?? '');
  } catch {
    return '';
  }
}
