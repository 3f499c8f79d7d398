import type { OutboxPayload, OutboxTopic } from './outbox-topics';

/** Delivers the rows of one topic. */
export interface TopicHandler<T extends OutboxTopic> {
  /**
   * Delivers one row; throws to have it retried later with backoff. Delivery is at least once (a
   * relay can die after delivering and before marking), so a handler passes `rowId` on where the
   * far side can drop doubles (a BullMQ job id, a Message-ID). `signal` aborts when the relay
   * gives up waiting; a handler that can cancel its work there makes a late double less likely.
   */
  deliver(payload: OutboxPayload<T>, rowId: string, signal: AbortSignal): Promise<void>;
  /** Releases connections when the relay stops. */
  close?(): Promise<void>;
}

/** A topic this service writes but does not deliver here: its rows stay recorded, unsent. */
export interface TopicOff {
  /** Why, logged once when the relay starts (e.g. "SMTP_URL is not set"). */
  readonly off: string;
}

/** One entry per topic the service delivers; topics it never writes are left out. */
export type TopicHandlers = { readonly [T in OutboxTopic]?: TopicHandler<T> | TopicOff };
