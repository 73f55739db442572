/** What every briefing file (PDF, Word) carries besides the briefing itself. */
export interface BriefingFileOptions {
  /** Printed at the top of every page, e.g. "Northshire Safeguarding Children Partnership". */
  partnershipName: string;
  /** e.g. "Version 2, published 4 June 2025": printed at the foot of every page. */
  versionLabel?: string;
  /** PNG or JPEG, shown beside the partnership's name. */
  logo?: Buffer;
}

/** Whether a buffer is a PNG or JPEG, the two picture formats both PDF and Word writers take. */
export function logoType(logo: Buffer): 'png' | 'jpg' | undefined {
  if (logo.length > 8 && logo.readUInt32BE(0) === 0x89504e47) return 'png';
  if (logo.length > 3 && logo[0] === 0xff && logo[1] === 0xd8 && logo[2] === 0xff) return 'jpg';
  return undefined;
}

/** A PNG's or JPEG's size in pixels, read from its header, so a logo keeps its shape when scaled. */
export function logoSize(logo: Buffer): { width: number; height: number } | undefined {
  const type = logoType(logo);
  if (type === 'png' && logo.length >= 24)
    return { width: logo.readUInt32BE(16), height: logo.readUInt32BE(20) };
  if (type !== 'jpg') return undefined;
  // JPEG: walk the segments to the start-of-frame marker, which holds the size.
  let at = 2;
  while (at + 9 < logo.length) {
    if (logo[at] !== 0xff) return undefined;
    const marker = logo[at + 1] ?? 0;
    const length = logo.readUInt16BE(at + 2);
    const isFrame = marker >= 0xc0 && marker <= 0xcf && marker !== 0xc4 && marker !== 0xc8 && marker !== 0xcc;
    if (isFrame) return { width: logo.readUInt16BE(at + 7), height: logo.readUInt16BE(at + 5) };
    at += 2 + length;
  }
  return undefined;
}

/** Scales a size down (never up) to fit a box. */
export function fitWithin(
  size: { width: number; height: number },
  box: { width: number; height: number },
): { width: number; height: number } {
  const scale = Math.min(1, box.width / size.width, box.height / size.height);
  return {
    width: Math.max(1, Math.round(size.width * scale)),
    height: Math.max(1, Math.round(size.height * scale)),
  };
}
