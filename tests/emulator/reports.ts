/** The JSON objects VirusTotal answers with, built from the emulator's state. */
import { buildScan, emptyStats, THREAT_LABELS } from './engines';
import type { AnalysisSnapshot, KnownFile, KnownUrl } from './emulator-state';
import { buildUrlScan, emptyUrlStats } from './url-scanners';

/** `{data:{type:'file', ...}}` as GET /files/{id} returns it. */
export function fileObject(file: KnownFile, baseUrl: string): unknown {
  const label = THREAT_LABELS[file.profile];
  return {
    data: {
      type: 'file',
      id: file.sha256,
      links: { self: `${baseUrl}/files/${file.sha256}` },
      attributes: {
        last_analysis_stats: file.scan.stats,
        last_analysis_results: file.scan.results,
        ...(file.names[0] === undefined ? {} : { meaningful_name: file.names[0] }),
        names: file.names,
        size: file.size,
        type_description: file.type.description,
        type_tag: file.type.tag,
        last_analysis_date: file.lastAnalysisDate,
        first_submission_date: file.firstSubmissionDate,
        last_submission_date: file.lastAnalysisDate,
        times_submitted: file.timesSubmitted,
        reputation: file.reputation,
        total_votes: file.totalVotes,
        tags: file.tags,
        md5: file.md5,
        sha1: file.sha1,
        sha256: file.sha256,
        ...(label === null ? {} : { popular_threat_classification: threatClassification(label) }),
      },
    },
  };
}

function threatClassification(label: string): unknown {
  const [category = '', family = ''] = label.split(/[./]/);
  return {
    suggested_threat_label: label,
    popular_threat_category: [{ value: category, count: 14 }],
    popular_threat_name: [{ value: family, count: 41 }],
  };
}

/** `{data:{type:'url', ...}}` as GET /urls/{id} returns it. */
export function urlObject(url: KnownUrl, baseUrl: string): unknown {
  return {
    data: {
      type: 'url',
      id: url.id,
      links: { self: `${baseUrl}/urls/${url.id}` },
      attributes: {
        url: url.url,
        last_final_url: url.finalUrl,
        last_analysis_stats: url.scan.stats,
        last_analysis_results: url.scan.results,
        last_analysis_date: url.lastAnalysisDate,
        first_submission_date: url.firstSubmissionDate,
        times_submitted: url.timesSubmitted,
        reputation: 0,
        total_votes: { harmless: 0, malicious: 0 },
        tags: [],
        // Absent, not null, when nothing was fetched: that is how VirusTotal leaves out unknown attributes.
        ...(url.httpCode === null ? {} : { last_http_response_code: url.httpCode }),
        ...(url.contentSha256 === null ? {} : { last_http_response_content_sha256: url.contentSha256 }),
      },
    },
  };
}

/** A POST answer: `{data:{type:'analysis', id, links}}`. */
export function analysisDescriptor(id: string, baseUrl: string): unknown {
  // Analysis ids are base64 of hex and digits, or u-<hex>-<digits>: only '=' needs care, and it is path-safe.
  return { data: { type: 'analysis', id, links: { self: `${baseUrl}/analyses/${id}` } } };
}

/** GET /analyses/{id}: status, stats and results as far as this poll got, plus meta about the item. */
export function analysisObject(snapshot: AnalysisSnapshot, baseUrl: string): unknown {
  const { analysis, status, fraction } = snapshot;
  const links = { self: `${baseUrl}/analyses/${analysis.id}` };
  if (analysis.kind === 'file') {
    const scan = fraction > 0 ? buildScan(analysis.profile, fraction) : { stats: emptyStats(), results: {} };
    const { md5, sha1, sha256, size } = analysis.facts;
    return {
      data: {
        type: 'analysis', id: analysis.id, links: { ...links, item: `${baseUrl}/files/${sha256}` },
        attributes: { status, date: analysis.date, stats: scan.stats, results: scan.results },
      },
      meta: { file_info: { md5, sha1, sha256, size } },
    };
  }
  const profile = analysis.visited?.content?.profile;
  const malware = analysis.listed || profile === 'eicar' || profile === 'malicious';
  const scan = fraction > 0 ? buildUrlScan(malware, fraction) : { stats: emptyUrlStats(), results: {} };
  return {
    data: {
      type: 'analysis', id: analysis.id, links: { ...links, item: `${baseUrl}/urls/${analysis.urlId}` },
      attributes: { status, date: analysis.date, stats: scan.stats, results: scan.results },
    },
    meta: { url_info: { id: analysis.urlId, url: analysis.url } },
  };
}
