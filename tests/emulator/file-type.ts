/** VirusTotal's `type_description` / `type_tag` for the few kinds of file tests upload. */

/** A file's type as a report shows it. */
export interface FileType {
  description: string;
  tag: string;
}

const MAGIC: ReadonlyArray<readonly [string, FileType]> = [
  ['MZ', { description: 'Win32 EXE', tag: 'peexe' }],
  ['%PDF', { description: 'PDF', tag: 'pdf' }],
  ['PK\u0003\u0004', { description: 'ZIP', tag: 'zip' }],
  ['\u007fELF', { description: 'ELF', tag: 'elf' }],
];

/** Sniffs the type from the first bytes; printable text is "Text", as VirusTotal calls EICAR. */
export function sniffFileType(bytes: Uint8Array): FileType {
  const head = Buffer.from(bytes.subarray(0, 8)).toString('latin1');
  for (const [magic, type] of MAGIC) if (head.startsWith(magic)) return type;
  // The first 64 KiB decide, as for `file`: scanning all of a 650 MB upload byte by byte would be slow.
  const sample = bytes.subarray(0, 65_536);
  const isText = sample.length > 0 && sample.every((b) => b === 0x09 || b === 0x0a || b === 0x0d || b >= 0x20);
  return isText ? { description: 'Text', tag: 'text' } : { description: 'unknown', tag: 'unknown' };
}
