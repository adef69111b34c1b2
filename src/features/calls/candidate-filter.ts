/**
 * Which ICE candidates leave this page. With `loopbackOnly` (tests) only candidates on 127.0.0.1
 * or ::1 go to the other side, so media never touches another interface of the machine; otherwise
 * all of them (the browser already hides host addresses behind mDNS names where it should).
 */
export function shouldSendCandidate(candidate: string, loopbackOnly: boolean): boolean {
  if (!loopbackOnly) return true;
  // candidate:<foundation> <component> <transport> <priority> <address> <port> typ <type> …
  const address = candidate.replace(/^candidate:/, '').split(' ')[4];
  return address === '127.0.0.1' || address === '::1';
}
