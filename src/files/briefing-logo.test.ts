import { describe, expect, it } from 'vitest';
import { LOGO_JPEG, LOGO_PNG, png } from '../../test/briefing/logos.ts';
import { checkLogo, LogoError, MAX_LOGO_BYTES } from './briefing-logo.ts';

const refusal = (bytes: Buffer) => {
  try {
    checkLogo(bytes);
  } catch (error) {
    if (error instanceof LogoError) return error.message;
    throw error;
  }
  return null;
};

describe('checkLogo', () => {
  it('takes a real PNG and JPEG, by their content, with their size', () => {
    expect(checkLogo(LOGO_PNG)).toEqual({ mediaType: 'image/png', width: 60, height: 24 });
    expect(checkLogo(LOGO_JPEG)).toEqual({ mediaType: 'image/jpeg', width: 60, height: 24 });
    // 3×2 greyscale: each row is a filter byte and three pixels.
    expect(checkLogo(png(3, 2, Buffer.alloc(8)))).toMatchObject({ width: 3, height: 2 });
  });

  it('refuses an empty file, a big one, and anything that is not a PNG or JPEG', () => {
    expect(refusal(Buffer.alloc(0))).toBe('The selected file is empty');
    expect(refusal(Buffer.concat([LOGO_PNG, Buffer.alloc(MAX_LOGO_BYTES)]))).toBe(
      'The selected file must be smaller than 512 KB',
    );
    expect(refusal(Buffer.from('GIF89a\x01\x00\x01\x00'))).toBe('The selected file must be a PNG or JPEG');
    expect(refusal(Buffer.from('<svg xmlns="http://www.w3.org/2000/svg"/>'))).toBe(
      'The selected file must be a PNG or JPEG',
    );
    expect(refusal(Buffer.from('%PDF-1.7'))).toBe('The selected file must be a PNG or JPEG');
  });

  it('refuses a picture that is cut short or damaged, which would break every PDF later', () => {
    const unreadable = /could not be read as a picture/;
    expect(refusal(LOGO_PNG.subarray(0, LOGO_PNG.length - 20))).toMatch(unreadable);
    expect(refusal(LOGO_JPEG.subarray(0, 200))).toMatch(unreadable);
    const flipped = Buffer.from(LOGO_PNG);
    flipped[40] = (flipped[40] ?? 0) ^ 0xff; // inside a chunk: its CRC no longer matches
    expect(refusal(flipped)).toMatch(unreadable);
    // Pixel data shorter or longer than the header promises.
    expect(refusal(png(3, 2, Buffer.alloc(4)))).toMatch(unreadable);
    expect(refusal(png(3, 2, Buffer.alloc(100)))).toMatch(unreadable);
    // Only the PNG signature.
    expect(refusal(LOGO_PNG.subarray(0, 10))).toMatch(unreadable);
  });

  it('refuses a picture too large to print, before inflating it (a PNG "bomb")', () => {
    // 20,000 × 20,000 grey pixels deflate to a few hundred kilobytes and would inflate to 400 MB.
    const bomb = png(20_000, 20_000, Buffer.alloc(20_001 * 200));
    expect(bomb.length).toBeLessThan(MAX_LOGO_BYTES);
    expect(refusal(bomb)).toBe('The logo must be at most 2000 pixels wide and 2000 pixels high');
  });
});
