import { describe, expect, it } from 'vitest';
import { shouldSendCandidate } from './candidate-filter';

describe('shouldSendCandidate', () => {
  it.each([
    { candidate: 'candidate:1 1 udp 2122260223 127.0.0.1 50000 typ host generation 0', loopbackOnly: true, send: true },
    { candidate: 'candidate:2 1 udp 2122129151 ::1 50001 typ host', loopbackOnly: true, send: true },
    { candidate: 'candidate:3 1 udp 41885695 127.0.0.1 60010 typ relay raddr 127.0.0.1 rport 50000', loopbackOnly: true, send: true },
    { candidate: 'candidate:4 1 udp 2122194687 10.0.0.5 50002 typ host', loopbackOnly: true, send: false },
    { candidate: 'candidate:5 1 udp 2122194687 8f1c9c7e-4b1e-4b59-9f0e-2f7c6c0b8f1a.local 50003 typ host', loopbackOnly: true, send: false },
    { candidate: 'candidate:6 1 udp 1685987071 203.0.113.7 50004 typ srflx raddr 0.0.0.0 rport 0', loopbackOnly: true, send: false },
    { candidate: 'candidate:4 1 udp 2122194687 10.0.0.5 50002 typ host', loopbackOnly: false, send: true },
  ])('$candidate (loopback only: $loopbackOnly) → $send', ({ candidate, loopbackOnly, send }) => {
    expect(shouldSendCandidate(candidate, loopbackOnly)).toBe(send);
  });
});
