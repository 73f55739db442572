import { describe, expect, it } from 'vitest';
import { newBriefing } from '../../src/domain/briefing/model.ts';
import { BRIEFING_FORMATS, isBriefingFormat, renderBriefingFile } from '../../src/files/briefing-export.ts';

describe('renderBriefingFile', () => {
  const briefing = newBriefing('Child 6');
  const options = { partnershipName: 'Northshire Safeguarding Children Partnership' };

  it.each([
    ['md', 'text/markdown; charset=utf-8', '# Child 6'],
    ['html', 'text/html; charset=utf-8', '<!DOCTYPE html>'],
    ['pdf', 'application/pdf', '%PDF-1.7'],
    ['docx', 'application/vnd.openxmlformats-officedocument.wordprocessingml.document', 'PK'],
  ] as const)('writes %s', async (format, contentType, start) => {
    const file = await renderBriefingFile(briefing, format, options);
    expect(file.contentType).toBe(contentType);
    expect(file.extension).toBe(`.${format}`);
    expect(file.body.subarray(0, start.length).toString('latin1')).toBe(start);
  });

  it('knows its formats', () => {
    expect(BRIEFING_FORMATS.filter(isBriefingFormat)).toEqual(['md', 'html', 'pdf', 'docx']);
    expect(isBriefingFormat('rtf')).toBe(false);
  });
});
