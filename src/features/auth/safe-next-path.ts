/** Only same-site paths: `next` comes from the URL, so it must not send anyone off-site. */
export function safeNextPath(next: string | null): string {
  if (!next || !next.startsWith('/') || next.startsWith('//') || next.startsWith('/login')) return '/';
  return next;
}
