import type { PushPayload, PushPriority } from '../../protocol';
import type { DeviceRow } from './devices-store';
import type { SendResult } from './push-rules';

/** One push as a sender hands it to its push service. */
export interface PushDelivery {
  payload: PushPayload;
  priority: PushPriority;
  ttlSeconds: number;
  /** Collapses an undelivered older push of the same topic (at most 32 URL-safe base64 characters). */
  topic: string;
}

/**
 * One sender per device kind (web-push, firebase-admin) behind this one interface. A sender never
 * throws for what a push service answers: it says what the answer means, and the dispatcher
 * decides (push-rules.ts).
 */
export interface PushSender {
  send(device: DeviceRow, delivery: PushDelivery): Promise<SendResult>;
}

export type PushSenders = Partial<Record<DeviceRow['kind'], PushSender>>;
