import { describe, expect, it } from 'vitest';
import { fitWithin, logoSize, logoType } from './briefing-options.ts';

// A 4×2 PNG and the header of a 640×480 JPEG (APP0 segment, then the start-of-frame that holds the size).
const PNG = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAQAAAACCAIAAADwyuo0AAAAEElEQVR4nGOQLdgBRwzIHAB/SgopQfPxegAAAABJRU5ErkJggg==',
  'base64',
);
const JPEG = Buffer.from([
  0xff, 0xd8, 0xff, 0xe0, 0x00, 0x10, 0x4a, 0x46, 0x49, 0x46, 0x00, 0x01, 0x01, 0x00, 0x00, 0x01, 0x00, 0x01,
  0x00, 0x00, 0xff, 0xc0, 0x00, 0x11, 0x08, 0x01, 0xe0, 0x02, 0x80, 0x03, 0x01, 0x22, 0x00, 0x02, 0x11, 0x01,
  0x03, 0x11, 0x01,
]);

describe('logos', () => {
  it('knows PNG and JPEG and nothing else', () => {
    expect(logoType(PNG)).toBe('png');
    expect(logoType(JPEG)).toBe('jpg');
    expect(logoType(Buffer.from('GIF89a......'))).toBeUndefined();
  });

  it('reads their size from the header', () => {
    expect(logoSize(PNG)).toEqual({ width: 4, height: 2 });
    expect(logoSize(JPEG)).toEqual({ width: 640, height: 480 });
  });

  it('scales down to fit, keeping the shape, and never up', () => {
    expect(fitWithin({ width: 640, height: 480 }, { width: 160, height: 48 })).toEqual({
      width: 64,
      height: 48,
    });
    expect(fitWithin({ width: 4, height: 2 }, { width: 160, height: 48 })).toEqual({ width: 4, height: 2 });
  });
});
