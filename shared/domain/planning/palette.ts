import { createHash } from 'node:crypto';
import type { Brief } from '../../schemas/brief';

export interface BrandPalette {
  primary: string;
  secondary: string;
  accent: string;
}

function hslToHex(hue: number, saturation: number, lightness: number): string {
  const a = saturation * Math.min(lightness, 1 - lightness);
  const channel = (n: number) => {
    const k = (n + hue / 30) % 12;
    const value = lightness - a * Math.max(-1, Math.min(k - 3, 9 - k, 1));
    return Math.round(value * 255).toString(16).padStart(2, '0');
  };
  return `#${channel(0)}${channel(8)}${channel(4)}`.toUpperCase();
}

/** The brand's own colours, or a stable palette derived from its name so reruns look the same. */
export function brandPalette(brief: Brief): BrandPalette {
  if (brief.brand.colors) return brief.brand.colors;
  const hue = createHash('sha256').update(brief.brand.name).digest().readUInt16BE(0) % 360;
  return {
    primary: hslToHex(hue, 0.55, 0.28),
    secondary: hslToHex((hue + 40) % 360, 0.6, 0.45),
    accent: hslToHex((hue + 180) % 360, 0.7, 0.5),
  };
}
