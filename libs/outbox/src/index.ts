/**
 * The transactional outbox: a state change and the events or jobs it causes are written in one
 * transaction, into the `outbox` table of the service's own schema, and a relay delivers them once
 * the transaction has committed. A Redis or SMTP outage therefore loses nothing, and a rolled-back
 * change sends nothing.
 *
 * - A service's migration creates the table with `createOutboxTable`.
 * - Producers write with `enqueue(trx, topic, payload)`, typed and validated per topic
 *   (`OUTBOX_TOPICS`): `audit` (an AuditEvent, usually through `auditRecorder(service)`), `email`
 *   (an e-mail to one address) and `job`.
 * - `job` is one generic topic for a BullMQ job on any queue of the contracts' job table, written
 *   with `enqueueJob(trx, queue, name, payload, meta)`: typed by that table, so a new queue or job
 *   needs no new topic here. The job id is the outbox row id unless given, so a re-add after a
 *   relay crash is ignored by BullMQ.
 * - Each service runs an `OutboxRelay` with one handler per topic it writes: `auditToQueue`,
 *   `jobsToQueues`, `smtpEmail`, or `{ off: why }` for a topic it records but does not deliver.
 *   Delivery is at least once; a failing row is retried with exponential backoff and never holds
 *   up the rows behind it.
 */
export * from './audit-recorder';
export * from './enqueue-job';
export * from './model-promoted-publisher';
export * from './outbox-relay';
export * from './outbox-table';
export * from './outbox-topics';
export * from './queue-handlers';
export * from './retry-backoff';
export * from './smtp-email';
export * from './topic-handler';
export { enqueue, type OutboxRow } from './outbox.store';
