import type { CSSProperties } from 'react';

/** Hues picked to stay readable with white initials in light and dark themes. */
const AVATAR_HUES = [8, 24, 150, 172, 200, 222, 262, 290, 330];

function hueFor(seed: string): number {
  let hash = 0;
  for (const char of seed) hash = (hash * 31 + char.charCodeAt(0)) | 0;
  return AVATAR_HUES[Math.abs(hash) % AVATAR_HUES.length] ?? 8;
}

function initialsOf(name: string): string {
  const words = name.trim().split(/\s+/).filter(Boolean);
  const letters = words.length > 1 ? [words[0], words[words.length - 1]] : [name.trim()];
  // By code point, not UTF-16 unit: a name that starts with an emoji or a letter outside the BMP keeps it whole.
  return letters.map((word) => Array.from(word ?? '')[0] ?? '').join('').toUpperCase() || '?';
}

/** Decorative: the name is always shown or announced next to it. */
export function Avatar({ userId, name, size = 'md' }: { userId: string; name: string; size?: 'sm' | 'md' | 'lg' }) {
  return (
    <span className={`avatar avatar-${size}`} style={{ '--avatar-hue': hueFor(userId) } as CSSProperties} aria-hidden="true">
      {initialsOf(name)}
    </span>
  );
}
