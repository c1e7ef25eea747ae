/**
 * The antivirus engines the emulator pretends to run, and the scan results they give per profile.
 * Names, versions and result strings follow real VirusTotal reports so parsers meet realistic data;
 * results are deterministic so tests can count on them.
 */

/** What kind of file the emulator pretends it scanned. */
export type Profile = 'eicar' | 'clean' | 'suspicious' | 'malicious';

/** The eight categories VirusTotal uses, in the order of `last_analysis_stats`. */
export const CATEGORIES = [
  'malicious', 'suspicious', 'undetected', 'harmless', 'timeout', 'confirmed-timeout', 'type-unsupported', 'failure',
] as const;
/** One of the eight verdict categories. */
export type Category = (typeof CATEGORIES)[number];

/** One engine's verdict, as in `last_analysis_results[engineKey]`. */
export interface EngineResult {
  category: Category;
  engine_name: string;
  engine_version: string;
  engine_update: string;
  method: 'blacklist';
  result: string | null;
}

/** `last_analysis_stats`: a count for each of the eight categories. */
export type AnalysisStats = Record<Category, number>;

/** Results keyed by engine plus the stats counted from them. */
export interface Scan {
  results: Record<string, EngineResult>;
  stats: AnalysisStats;
}

/** Marks an engine that cannot scan these test files (Android-only or PE-only engines). */
const UNSUPPORTED = 'type-unsupported';
type Verdict = string | null | typeof UNSUPPORTED;

interface Engine {
  key: string;
  version: string;
  update: string;
  /** Result string for EICAR; null = undetected. */
  eicar: Verdict;
  /** Result string for the test malware; null = undetected. */
  malware: Verdict;
}

// [key, version, update, EICAR result, test-malware result]
const TABLE: ReadonlyArray<readonly [string, string, string, Verdict, Verdict]> = [
  ['Bkav', '2.0.0.1', '20240716', null, 'W32.AIDetectMalware'],
  ['Lionic', '7.5', '20240717', 'Test.File.EICAR.y', 'Trojan.Win32.Generic.4!c'],
  ['Elastic', '4.0.152', '20240712', UNSUPPORTED, 'malicious (high confidence)'],
  ['MicroWorld-eScan', '14.0.409.0', '20240717', 'EICAR-Test-File', 'Gen:Variant.ScanDock.1'],
  ['FireEye', '35.47.0.0', '20240717', 'EICAR-Test-File', 'Generic.mg.5ca4d0c0de000001'],
  ['CAT-QuickHeal', '22.00', '20240716', 'EICAR.TestFile', 'Trojan.Ghanarava.1721234567'],
  ['Skyhigh', 'v2021.2.0+4045', '20240716', 'EICAR test file', 'Artemis!5CA4D0C0DE00'],
  ['McAfee', '6.0.6.653', '20240717', 'EICAR test file', 'Artemis!5CA4D0C0DE00'],
  ['Malwarebytes', '4.5.5.54', '20240717', 'EICAR-AV-Test', 'Malware.AI.4241251344'],
  ['Zillya', '2.0.0.5180', '20240716', 'EICAR.TestFile', null],
  ['Sangfor', '2.23.0.0', '20240712', 'EICAR-Test-File', 'Trojan.Win32.Agent.Vm3s'],
  ['K7AntiVirus', '12.175.52910', '20240717', 'EICAR_Test_File', 'Trojan ( 005b2a1f1 )'],
  ['Alibaba', '0.3.0.5', '20190527', 'Virus:Any/EICAR_Test_File.534838ff', 'Trojan:Win32/ScanDock.a5b1'],
  ['K7GW', '12.175.52910', '20240717', 'EICAR_Test_File', 'Trojan ( 005b2a1f1 )'],
  ['Trustlook', '1.0', '20240717', UNSUPPORTED, UNSUPPORTED],
  ['BitDefenderTheta', '7.2.37796.0', '20240710', 'EICAR-Test-File (not a virus)', 'Gen:NN.ZexaF.36802.ScanDock'],
  ['VirIT', '9.5.753', '20240716', 'EICAR-Test-File', null],
  ['Symantec', '1.22.0.0', '20240717', 'EICAR Test String', 'ML.Attribute.HighConfidence'],
  ['tehtris', 'v0.1.4-127', '20240717', null, null],
  ['ESET-NOD32', '29554', '20240717', 'Eicar test file', 'a variant of Win32/Kryptik.HXYZ'],
  ['TrendMicro-HouseCall', '10.0.0.1040', '20240717', 'Eicar_test_file', 'TROJ_GEN.R002C0DGH24'],
  ['Avast', '23.9.8494.0', '20240717', 'EICAR Test-NOT virus!!!', 'Win32:MalwareX-gen [Trj]'],
  ['ClamAV', '1.3.1.0', '20240716', 'Win.Test.EICAR_HDB-1', 'Win.Malware.ScanDock-10030301-0'],
  ['Kaspersky', '22.0.1.28', '20240717', 'EICAR-Test-File', 'HEUR:Trojan.Win32.Generic'],
  ['BitDefender', '7.2', '20240717', 'EICAR-Test-File (not a virus)', 'Gen:Variant.ScanDock.1'],
  ['NANO-Antivirus', '1.0.146.25796', '20240717', 'Marker.Dos.EICAR-Test-File.dyb', 'Trojan.Win32.ScanDock.kqzjxa'],
  ['SUPERAntiSpyware', '5.6.0.1032', '20240713', 'NotAThreat.EICAR[TestFile]', null],
  ['Tencent', '1.0.0.1', '20240717', 'EICAR.TEST.NOT-A-VIRUS', 'Malware.Win32.Gencirc.10bf8a33'],
  ['Emsisoft', '2024.8.0.61147', '20240717', 'EICAR-Test-File (not a virus) (B)', 'Gen:Variant.ScanDock.1 (B)'],
  ['F-Secure', '18.10.1547.307', '20240717', 'EICAR_Test_File', 'Trojan.TR/Crypt.XPACK.Gen'],
  ['DrWeb', '7.0.63.5190', '20240717', 'EICAR Test File (NOT a Virus!)', 'Trojan.Siggen28.12345'],
  ['VIPRE', '6.0.0.35', '20240716', 'EICAR-Test-File (not a virus)', 'Gen:Variant.ScanDock.1'],
  ['TrendMicro', '11.0.0.1006', '20240717', 'Eicar_test_file', 'TROJ_GEN.R002C0DGH24'],
  ['CMC', '2.4.2022.1', '20240715', 'Eicar.test.file', null],
  ['Sophos', '2.5.5.0', '20240717', 'EICAR-AV-Test', 'Mal/Generic-S'],
  ['Ikarus', '6.3.9.0', '20240717', 'EICAR-Test-File', 'Trojan.Win32.Crypt'],
  ['GData', 'A:25.38321B:27.36659', '20240717', 'EICAR_TEST_FILE', 'Gen:Variant.ScanDock.1'],
  ['Jiangmin', '16.0.100', '20240716', 'EICAR-Test-File', null],
  ['Google', '1721180000', '20240717', 'Detected', 'Detected'],
  ['Avira', '8.3.3.16', '20240717', 'Eicar-Test-Signature', 'TR/Crypt.XPACK.Gen'],
  ['Varist', '6.5.1.2', '20240717', 'EICAR_Test_File', 'W32/ABRisk.ScanDock'],
  ['Antiy-AVL', '3.0', '20240717', 'TestFile/Win32.EICAR', 'Trojan/Win32.Agent'],
  ['Kingsoft', 'None', '20240717', 'Win32.Test.EICAR.a', null],
  ['Gridinsoft', '1.0.182.174', '20240717', 'Test.U.EICAR.dd', null],
  ['Xcitium', '36922', '20240717', 'EICAR-Test-File@0', 'Malware@#3a9wjuz0bj3o'],
  ['Arcabit', '2022.0.0.18', '20240717', 'EICAR-Test-File (not a virus)', 'Trojan.ScanDock.D1'],
  ['ViRobot', '2014.3.20.0', '20240717', 'EICAR-test', null],
  ['ZoneAlarm', '6.13-14013', '20240717', 'EICAR-Test-File', 'HEUR:Trojan.Win32.Generic'],
  ['Microsoft', '1.1.24060.5', '20240717', 'Virus:DOS/EICAR_Test_File', 'Trojan:Win32/Wacatac.B!ml'],
  ['Cynet', '4.0.1.4', '20240717', 'Malicious (score: 99)', 'Malicious (score: 100)'],
  ['AhnLab-V3', '3.26.0.10503', '20240717', 'Virus/EICAR_Test_File', 'Trojan/Win.Generic.R654321'],
  ['Acronis', '1.2.0.121', '20240328', 'EICAR-Test-File', null],
  ['VBA32', '5.0.5', '20240717', 'EICAR-Test-File', 'TScope.Trojan.ScanDock'],
  ['ALYac', '2.0.0.10', '20240717', 'Misc.Eicar-Test-File', 'Gen:Variant.ScanDock.1'],
  ['MAX', '2023.1.4.1', '20240717', 'malware (ai score=100)', 'malware (ai score=89)'],
  ['DeepInstinct', '5.0.0.8', '20240717', null, 'MALICIOUS'],
  ['Zoner', '2.2.2.0', '20240717', 'EICAR.Test.File-NoVirus.250', null],
  ['Rising', '25.0.0.27', '20240717', 'EICAR-Test-File (CLASSIC)', 'Trojan.Generic@AI.100 (RDML:ScanDock)'],
  ['Yandex', '5.5.2.24', '20240717', 'EICAR_test_file', null],
  ['TACHYON', '2024-07-17.02', '20240717', 'EICAR-Test-File', null],
  ['MaxSecure', '1.0.0.1', '20240717', 'Virus.EICAR_Test_File', 'Trojan.Malware.300983.susgen'],
  ['Fortinet', '7.0.30.0', '20240717', 'EICAR_TEST_FILE', 'W32/Kryptik.HXYZ!tr'],
  ['AVG', '23.9.8494.0', '20240717', 'EICAR Test-NOT virus!!!', 'Win32:MalwareX-gen [Trj]'],
  ['Panda', '4.6.4.2', '20240716', 'EICAR-AV-TEST-FILE', 'Trj/Chgt.AD'],
  ['CrowdStrike', '1.0', '20230417', 'win/malicious_confidence_100% (D)', 'win/malicious_confidence_90% (W)'],
  ['SentinelOne', '24.2.1.1', '20240711', 'DFI - Malicious', 'Static AI - Malicious PE'],
  ['Webroot', '1.0.0.403', '20240717', 'W32.Eicar.Testvirus.Gen', 'W32.Trojan.Gen'],
  ['Baidu', '1.0.0.2', '20190318', 'Win32.Test.Eicar.a', null],
  ['Paloalto', '0.9.0.1003', '20240717', 'generic.ml', 'generic.ml'],
  ['SecureAge', '1.0', '20240717', 'Malicious', 'Malicious'],
];

/** The engines in the order VirusTotal lists them. */
export const ENGINES: readonly Engine[] = TABLE.map(([key, version, update, eicar, malware]) => ({
  key, version, update, eicar, malware,
}));

/** The two engines that call a file 'suspicious' in the suspicious profile. */
const SUSPICIOUS_RESULTS: Readonly<Record<string, string>> = { Acronis: 'suspicious', SecureAge: 'Suspicious' };

/** The suggested threat label VirusTotal shows for each profile (none for clean or suspicious files). */
export const THREAT_LABELS: Readonly<Record<Profile, string | null>> = {
  eicar: 'virus.eicar/test',
  malicious: 'trojan.scandock/testmalware',
  suspicious: null,
  clean: null,
};

function verdictFor(engine: Engine, profile: Profile): { category: Category; result: string | null } {
  // Clean and suspicious samples are text files like EICAR, so the engines that skip EICAR skip them too.
  const verdict = profile === 'malicious' ? engine.malware : engine.eicar;
  if (verdict === UNSUPPORTED) return { category: 'type-unsupported', result: null };
  if (profile === 'eicar' || profile === 'malicious') {
    return verdict === null ? { category: 'undetected', result: null } : { category: 'malicious', result: verdict };
  }
  const suspicious = SUSPICIOUS_RESULTS[engine.key];
  if (profile === 'suspicious' && suspicious !== undefined) return { category: 'suspicious', result: suspicious };
  return { category: 'undetected', result: null };
}

/** Counts results per category; always all eight keys, so stats and results can never disagree. */
export function statsOf(results: Record<string, EngineResult>): AnalysisStats {
  const stats = emptyStats();
  for (const r of Object.values(results)) stats[r.category] += 1;
  return stats;
}

/** All eight categories at zero (an analysis still queued). */
export function emptyStats(): AnalysisStats {
  return {
    malicious: 0, suspicious: 0, undetected: 0, harmless: 0,
    timeout: 0, 'confirmed-timeout': 0, 'type-unsupported': 0, failure: 0,
  };
}

/**
 * The scan for `profile` as the first `fraction` of the engines would have reported it:
 * 1 for a finished analysis, less while it is in progress.
 */
export function buildScan(profile: Profile, fraction = 1): Scan {
  const count = Math.max(0, Math.min(ENGINES.length, Math.floor(ENGINES.length * fraction)));
  const results: Record<string, EngineResult> = {};
  for (const engine of ENGINES.slice(0, count)) {
    results[engine.key] = {
      ...verdictFor(engine, profile),
      engine_name: engine.key,
      engine_version: engine.version,
      engine_update: engine.update,
      method: 'blacklist',
    };
  }
  return { results, stats: statsOf(results) };
}
