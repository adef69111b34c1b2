import { mkdirSync } from 'node:fs';
import path from 'node:path';
import type { Page } from '@playwright/test';

/**
 * The layout check of issue 13's "Fits every screen", for any screen: nothing scrolls sideways or
 * sticks out, controls are at least 44×44 px, and the dark theme keeps no light surfaces, at
 * every phone width and on desktop, light and dark. Used by fits-every-screen.spec.ts (every
 * route, every header state) and fits-call-screen.spec.ts (the call screen, every phase).
 */

export const WIDTHS = [320, 360, 390, 412, 1280] as const;
/** Realistic heights for each width (iPhone SE, Galaxy S, iPhone 14, Pixel, laptop). */
export const HEIGHTS: Record<(typeof WIDTHS)[number], number> = { 320: 568, 360: 780, 390: 844, 412: 915, 1280: 800 };
const SCREENSHOT_WIDTHS: readonly number[] = [320, 390, 1280];
const SCHEMES = ['light', 'dark'] as const;
const MIN_TARGET = 44;
export const SCREENS_DIR = path.join(process.cwd(), 'test-results', 'screens');

/** One thing wrong, named so a failure says what to fix: the element and, per size, how. */
export interface Finding {
  kind: 'scrolls sideways' | 'reaches past the screen' | 'control under 44×44 px or off screen' | 'light surface in the dark theme' | 'left its newest message';
  element: string;
  detail: string;
}

/** Runs in the page: what is wrong with the current screen at the current size. */
function measure({ minTarget, dark }: { minTarget: number; dark: boolean }): Finding[] {
  const vw = window.innerWidth;
  const findings: Finding[] = [];
  const name = (el: Element): string => {
    const classes = typeof el.className === 'string' && el.className.trim() ? `.${el.className.trim().split(/\s+/).join('.')}` : '';
    const label = el.getAttribute('aria-label') ?? el.getAttribute('data-testid') ?? (el.textContent ?? '').trim().slice(0, 30);
    return `${el.tagName.toLowerCase()}${el.id ? `#${el.id}` : ''}${classes}${label ? ` "${label}"` : ''}`;
  };
  // One pass over the page: each element's box and style read once.
  const boxes = new Map<Element, { rect: DOMRect; style: CSSStyleDeclaration }>();
  const hiddenUnder = new Set<Element>(document.querySelectorAll('dialog:not([open]), .visually-hidden'));
  for (const el of document.querySelectorAll('body *')) {
    if (el.parentElement && hiddenUnder.has(el.parentElement)) {
      hiddenUnder.add(el);
      continue;
    }
    if (hiddenUnder.has(el)) continue;
    const rect = el.getBoundingClientRect();
    if (rect.width <= 1 || rect.height <= 1) continue;
    const style = getComputedStyle(el);
    if (style.visibility === 'hidden') continue;
    boxes.set(el, { rect, style });
  }

  // What an ancestor clips (an ellipsis, a scrolling list) is not on the screen at all.
  const clippedAway = (el: Element, rect: DOMRect) => {
    for (let up = el.parentElement; up && up !== document.body; up = up.parentElement) {
      if (getComputedStyle(up).overflowX === 'visible') continue;
      const box = up.getBoundingClientRect();
      if (box.left >= -0.5 && box.right <= vw + 0.5) return true;
      if (rect.right <= box.right + 0.5 && rect.left >= box.left - 0.5) return false;
    }
    return false;
  };

  // Outermost elements past either edge: the ones to fix (their children only follow them).
  const offends = new Set<Element>();
  const outside: Finding[] = [];
  for (const [el, { rect }] of boxes) {
    if ((rect.right > vw + 0.5 || rect.left < -0.5) && !clippedAway(el, rect)) {
      offends.add(el);
      if (!el.parentElement || !offends.has(el.parentElement)) outside.push({ kind: 'reaches past the screen', element: name(el), detail: `${Math.round(rect.left)}→${Math.round(rect.right)}` });
    }
  }
  const scrollWidth = document.documentElement.scrollWidth;
  if (scrollWidth > vw) findings.push({ kind: 'scrolls sideways', element: 'html', detail: `scrollWidth ${scrollWidth} > ${vw}` });
  findings.push(...outside.slice(0, 15));

  const controls = document.querySelectorAll<HTMLElement>('a[href], button, input:not([type=hidden]), select, textarea, [role=tab], [role=button], summary');
  for (const el of controls) {
    if (el.classList.contains('skip-link') || hiddenUnder.has(el)) continue;
    const box = boxes.get(el);
    const isCheck = el instanceof HTMLInputElement && (el.type === 'checkbox' || el.type === 'radio');
    if (!box && !isCheck) continue;
    // A link inside a sentence is exempt (WCAG 2.5.8); the card title's link covers its card through ::after.
    if (el.tagName === 'A' && box?.style.display === 'inline') continue;
    let rect = box?.rect ?? el.getBoundingClientRect();
    // A checkbox is tapped through its label too: measure the two together.
    if (isCheck) {
      for (const label of el.labels ?? []) {
        const r = label.getBoundingClientRect();
        const [left, top] = [Math.min(rect.left, r.left), Math.min(rect.top, r.top)];
        rect = new DOMRect(left, top, Math.max(rect.right, r.right) - left, Math.max(rect.bottom, r.bottom) - top);
      }
      if (rect.width <= 1 || rect.height <= 1) continue;
    }
    const tooSmall = rect.width < minTarget - 0.5 || rect.height < minTarget - 0.5;
    const offScreen = rect.left < -0.5 || rect.right > vw + 0.5;
    if (tooSmall || offScreen) {
      findings.push({ kind: 'control under 44×44 px or off screen', element: name(el), detail: `${Math.round(rect.width)}×${Math.round(rect.height)}${offScreen ? ` at ${Math.round(rect.left)}→${Math.round(rect.right)}` : ''}` });
    }
  }

  if (dark) {
    const surfaces: [Element, CSSStyleDeclaration, DOMRect][] = [[document.body, getComputedStyle(document.body), document.body.getBoundingClientRect()]];
    for (const [el, { rect, style }] of boxes) surfaces.push([el, style, rect]);
    for (const [el, style, rect] of surfaces) {
      // Dots and badges may be bright; surfaces are what the eye reads as the page.
      if (el !== document.body && (rect.width < 24 || rect.height < 24)) continue;
      const match = /rgba?\(([\d.]+),\s*([\d.]+),\s*([\d.]+)(?:,\s*([\d.]+))?\)/.exec(style.backgroundColor);
      if (!match) continue;
      const [r, g, b, a = '1'] = match.slice(1);
      if (Number(a) < 0.5) continue;
      const luminance = (0.2126 * Number(r) + 0.7152 * Number(g) + 0.0722 * Number(b)) / 255;
      // The toast deliberately inverts the page's colours, and so does a call control that is on
      // (Mute, Video): white on the always-dark call screen, as a phone's dialer shows it.
      if (luminance > 0.6 && !el.closest('.toast, .call-button[aria-pressed="true"]')) findings.push({ kind: 'light surface in the dark theme', element: name(el), detail: style.backgroundColor });
    }
  }
  return findings;
}

/** Everything found in the whole walk, grouped by what is wrong and where it shows. */
export class FindingLog {
  private readonly seen = new Map<string, string[]>();

  add(where: string, findings: Finding[]): void {
    for (const finding of findings) {
      const key = `${finding.kind}: ${finding.element}`;
      const places = this.seen.get(key) ?? [];
      places.push(`${where} (${finding.detail})`);
      this.seen.set(key, places);
    }
  }

  report(): string[] {
    return [...this.seen].map(([key, places]) => `${key} — ${places.length > 6 ? `${places.slice(0, 6).join(', ')} and ${places.length - 6} more` : places.join(', ')}`);
  }
}

/**
 * Parts that skip their rendering while off screen (feed cards: `content-visibility: auto`) are
 * drawn from here on, as a person scrolling sees them. Left skipped, a transition inside one never
 * runs (so waiting for transitions never ended once the feed held more than a screenful of cards),
 * each box read there lays its card out anew, and full-page screenshots show such cards empty.
 * A style sheet, not a change to each element, so the cards a later screen renders are drawn too.
 */
async function drawWhatSkipsRendering(page: Page): Promise<void> {
  await page.evaluate(() => {
    if (document.getElementById('layout-check-draw-all')) return;
    const sheet = document.createElement('style');
    sheet.id = 'layout-check-draw-all';
    sheet.textContent = '* { content-visibility: visible !important; }';
    document.head.append(sheet);
  });
}

/** Checks the current screen at every width and scheme; screenshots at the phone and desktop widths. */
export async function checkEverySize(
  page: Page,
  log: FindingLog,
  screen: string,
  options: { screenshots: boolean; alsoCheck?: ((page: Page) => Promise<Finding[]>) | undefined },
): Promise<void> {
  await drawWhatSkipsRendering(page);
  for (const scheme of SCHEMES) {
    await page.emulateMedia({ colorScheme: scheme });
    // Controls ease their colours: measure the scheme, not the way there.
    await page.evaluate(() => Promise.all(document.getAnimations().filter((a) => a instanceof CSSTransition).map((a) => a.finished.catch(() => undefined))));
    for (const width of WIDTHS) {
      await page.setViewportSize({ width, height: HEIGHTS[width] });
      log.add(`${screen} ${width} ${scheme}`, await page.evaluate(measure, { minTarget: MIN_TARGET, dark: scheme === 'dark' }));
      if (options.alsoCheck) log.add(`${screen} ${width} ${scheme}`, await options.alsoCheck(page));
      if (options.screenshots && SCREENSHOT_WIDTHS.includes(width)) {
        await page.screenshot({ path: path.join(SCREENS_DIR, `${screen}-${width}-${scheme}.png`), fullPage: true, animations: 'disabled' });
      }
    }
  }
}


export function prepareScreensDir(): void {
  mkdirSync(SCREENS_DIR, { recursive: true });
}

/**
 * A conversation opened on its newest message is still on it at this size: narrowing the screen
 * or the on-screen keyboard opening leaves more content below the same offset.
 */
export async function chatOnNewest(page: Page): Promise<Finding[]> {
  const below = await page.getByRole('log', { name: 'Messages' }).evaluate(async (list) => {
    // The list follows in the frame after the resize.
    await new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve)));
    return Math.round(list.scrollHeight - list.scrollTop - list.clientHeight);
  });
  return below > 2 ? [{ kind: 'left its newest message', element: 'the message list', detail: `${below} px of it below the view` }] : [];
}
