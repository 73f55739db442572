/** Files an update may carry as evidence: small, of known types, checked by their first bytes. */
export const MAX_EVIDENCE_BYTES = 10 * 1024 * 1024;

export const EVIDENCE_TYPES = {
  pdf: 'application/pdf',
  docx: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
  xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  png: 'image/png',
  jpg: 'image/jpeg',
  jpeg: 'image/jpeg',
  txt: 'text/plain',
} as const;

export type EvidenceCheck = { ok: true; contentType: string } | { ok: false; reason: string };

const startsWith = (bytes: Uint8Array, magic: number[]) => magic.every((b, i) => bytes[i] === b);

/**
 * Checks an evidence file by its extension AND its content (a renamed executable is refused),
 * naming the file in the reason.
 */
export function checkEvidenceFile(fileName: string, bytes: Uint8Array): EvidenceCheck {
  const ext = /\.([a-z0-9]+)$/i.exec(fileName)?.[1]?.toLowerCase() ?? '';
  const contentType = (EVIDENCE_TYPES as Record<string, string>)[ext];
  const allowed = 'PDF, Word (.docx), Excel (.xlsx), PNG, JPEG or text (.txt)';
  if (!contentType) return { ok: false, reason: `${fileName} must be a ${allowed} file` };
  if (bytes.length === 0) return { ok: false, reason: `${fileName} is empty` };
  if (bytes.length > MAX_EVIDENCE_BYTES)
    return { ok: false, reason: `${fileName} must be smaller than 10MB` };
  const matches =
    ext === 'pdf'
      ? startsWith(bytes, [0x25, 0x50, 0x44, 0x46])
      : ext === 'docx' || ext === 'xlsx'
        ? startsWith(bytes, [0x50, 0x4b, 0x03, 0x04])
        : ext === 'png'
          ? startsWith(bytes, [0x89, 0x50, 0x4e, 0x47])
          : ext === 'jpg' || ext === 'jpeg'
            ? startsWith(bytes, [0xff, 0xd8, 0xff])
            : isText(bytes);
  if (!matches) return { ok: false, reason: `${fileName} is not a real ${ext.toUpperCase()} file` };
  return { ok: true, contentType };
}

function isText(bytes: Uint8Array): boolean {
  if (bytes.includes(0)) return false;
  try {
    new TextDecoder('utf-8', { fatal: true }).decode(bytes);
    return true;
  } catch {
    return false;
  }
}
