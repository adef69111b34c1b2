import type { Call, CallSignal } from '../../protocol';

/** What the call service reports; the realtime layer decides which sockets hear it (call-broadcaster.ts). */
export interface CallEvents {
  /** Ring every device of the callee. */
  incoming(call: Call): void;
  /** Tell the caller's carrying socket that a device of the callee rings. */
  ringing(call: Call, callerSocket: string): void;
  /** Tell the caller it was answered, and the callee's other devices to stop ringing. */
  accepted(call: Call, callerSocket: string, acceptingSocket: string): void;
  /** Both people, every device. */
  ended(call: Call, cause: string | null): void;
  signal(callId: string, toSocket: string, signal: CallSignal): void;
  rejoined(callId: string, toSocket: string): void;
}
