import { describe, expect, it } from 'vitest';
import { checkEvidenceFile, MAX_EVIDENCE_BYTES } from './evidence.ts';

describe('evidence files', () => {
  it('accepts known types whose content matches', () => {
    expect(checkEvidenceFile('audit.pdf', Buffer.from('%PDF-1.7 ...'))).toEqual({
      ok: true,
      contentType: 'application/pdf',
    });
    expect(checkEvidenceFile('notes.TXT', Buffer.from('Guidance issued to all officers'))).toMatchObject({
      ok: true,
    });
    expect(checkEvidenceFile('photo.jpg', Buffer.from([0xff, 0xd8, 0xff, 0xe0]))).toMatchObject({ ok: true });
  });

  it('refuses other types, renamed files, empty and oversized files, naming the file', () => {
    expect(checkEvidenceFile('run.exe', Buffer.from('MZ'))).toEqual({
      ok: false,
      reason: 'run.exe must be a PDF, Word (.docx), Excel (.xlsx), PNG, JPEG or text (.txt) file',
    });
    expect(checkEvidenceFile('fake.pdf', Buffer.from('MZ\x90\x00'))).toEqual({
      ok: false,
      reason: 'fake.pdf is not a real PDF file',
    });
    expect(checkEvidenceFile('empty.txt', Buffer.alloc(0))).toEqual({
      ok: false,
      reason: 'empty.txt is empty',
    });
    expect(checkEvidenceFile('big.txt', Buffer.alloc(MAX_EVIDENCE_BYTES + 1, 0x61))).toEqual({
      ok: false,
      reason: 'big.txt must be smaller than 10MB',
    });
    expect(checkEvidenceFile('binary.txt', Buffer.from([0x61, 0, 0x62]))).toMatchObject({ ok: false });
  });
});
