import { readFile } from 'node:fs/promises';

/**
 * Horizontal advances of an OpenType/TrueType font, read from its cmap and hmtx tables, so headline
 * wrapping can be checked against the glyphs drawtext will really draw instead of a guessed average.
 */
export class FontMetrics {
  private constructor(
    private readonly unitsPerEm: number,
    private readonly advances: Uint16Array,
    private readonly glyphOf: (codePoint: number) => number,
    /** Height of a capital letter above the baseline, in em. */
    readonly capHeightEm: number,
    /** The font's line ascender and descender (both positive), in em. */
    readonly ascenderEm: number,
    readonly descenderEm: number,
  ) {}

  static async load(fontFile: string): Promise<FontMetrics> {
    return FontMetrics.parse(await readFile(fontFile));
  }

  static parse(font: Buffer): FontMetrics {
    const tables = readTableDirectory(font);
    const head = requireTable(tables, 'head');
    const hhea = requireTable(tables, 'hhea');
    const maxp = requireTable(tables, 'maxp');
    const hmtx = requireTable(tables, 'hmtx');
    const cmap = requireTable(tables, 'cmap');

    const unitsPerEm = font.readUInt16BE(head + 18);
    const numGlyphs = font.readUInt16BE(maxp + 4);
    const numberOfHMetrics = font.readUInt16BE(hhea + 34);
    const ascender = font.readInt16BE(hhea + 4);
    const descender = -font.readInt16BE(hhea + 6);
    // OS/2 carries the cap height from version 2 on; 70 % of the ascender is the usual stand-in without it.
    const os2 = tables.get('OS/2');
    const capHeight = os2 !== undefined && font.readUInt16BE(os2) >= 2 ? font.readInt16BE(os2 + 88) : 0.7 * ascender;
    const advances = new Uint16Array(numGlyphs);
    for (let glyph = 0; glyph < numGlyphs; glyph++) {
      // Glyphs past numberOfHMetrics share the last advance (monospaced tail).
      advances[glyph] = font.readUInt16BE(hmtx + 4 * Math.min(glyph, numberOfHMetrics - 1));
    }
    return new FontMetrics(
      unitsPerEm,
      advances,
      readCharacterMap(font, cmap),
      capHeight / unitsPerEm,
      ascender / unitsPerEm,
      descender / unitsPerEm,
    );
  }

  /** Width of `text` in em; characters the font lacks count as its .notdef glyph, which is what gets drawn. */
  widthEm(text: string): number {
    let units = 0;
    for (const char of text) {
      const glyph = this.glyphOf(char.codePointAt(0) ?? 0);
      units += this.advances[glyph < this.advances.length ? glyph : 0] ?? 0;
    }
    return units / this.unitsPerEm;
  }
}

function readTableDirectory(font: Buffer): Map<string, number> {
  const version = font.readUInt32BE(0);
  if (version !== 0x00010000 && font.toString('latin1', 0, 4) !== 'OTTO' && font.toString('latin1', 0, 4) !== 'true') {
    throw new Error('not an OpenType or TrueType font');
  }
  const tables = new Map<string, number>();
  const numTables = font.readUInt16BE(4);
  for (let i = 0; i < numTables; i++) {
    const record = 12 + 16 * i;
    tables.set(font.toString('latin1', record, record + 4), font.readUInt32BE(record + 8));
  }
  return tables;
}

function requireTable(tables: Map<string, number>, tag: string): number {
  const offset = tables.get(tag);
  if (offset === undefined) throw new Error(`font has no ${tag} table`);
  return offset;
}

/** Picks the Unicode subtable FreeType would: full-repertoire format 12 first, else BMP format 4. */
function readCharacterMap(font: Buffer, cmap: number): (codePoint: number) => number {
  const subtables: Array<{ format: number; offset: number }> = [];
  const count = font.readUInt16BE(cmap + 2);
  for (let i = 0; i < count; i++) {
    const record = cmap + 4 + 8 * i;
    const platform = font.readUInt16BE(record);
    const encoding = font.readUInt16BE(record + 2);
    const isUnicode = platform === 0 || (platform === 3 && (encoding === 1 || encoding === 10));
    if (!isUnicode) continue;
    const offset = cmap + font.readUInt32BE(record + 4);
    subtables.push({ format: font.readUInt16BE(offset), offset });
  }
  const full = subtables.find((s) => s.format === 12);
  if (full) return (codePoint) => lookupFormat12(font, full.offset, codePoint);
  const bmp = subtables.find((s) => s.format === 4);
  if (bmp) return (codePoint) => lookupFormat4(font, bmp.offset, codePoint);
  throw new Error('font has no Unicode cmap subtable of format 4 or 12');
}

function lookupFormat12(font: Buffer, table: number, codePoint: number): number {
  const groups = font.readUInt32BE(table + 12);
  for (let i = 0; i < groups; i++) {
    const group = table + 16 + 12 * i;
    const start = font.readUInt32BE(group);
    const end = font.readUInt32BE(group + 4);
    if (codePoint >= start && codePoint <= end) return font.readUInt32BE(group + 8) + (codePoint - start);
  }
  return 0;
}

function lookupFormat4(font: Buffer, table: number, codePoint: number): number {
  if (codePoint > 0xffff) return 0;
  const segCount = font.readUInt16BE(table + 6) / 2;
  const endCodes = table + 14;
  const startCodes = endCodes + 2 * segCount + 2;
  const idDeltas = startCodes + 2 * segCount;
  const idRangeOffsets = idDeltas + 2 * segCount;
  for (let i = 0; i < segCount; i++) {
    if (codePoint > font.readUInt16BE(endCodes + 2 * i)) continue;
    const start = font.readUInt16BE(startCodes + 2 * i);
    if (codePoint < start) return 0;
    const delta = font.readUInt16BE(idDeltas + 2 * i);
    const rangeOffsetAt = idRangeOffsets + 2 * i;
    const rangeOffset = font.readUInt16BE(rangeOffsetAt);
    if (rangeOffset === 0) return (codePoint + delta) & 0xffff;
    const glyph = font.readUInt16BE(rangeOffsetAt + rangeOffset + 2 * (codePoint - start));
    return glyph === 0 ? 0 : (glyph + delta) & 0xffff;
  }
  return 0;
}
