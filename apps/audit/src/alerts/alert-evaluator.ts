import { randomUUID } from 'node:crypto';
import type { Alert, AlertsResponse, AuditEvent } from '@inkwell/contracts';
import type { Logger } from '@inkwell/logger';
import type { TypedQueue } from '@inkwell/queue';
import type { RuleCheck } from './alert-rules';

const RECENT_KEPT = 100;

/**
 * Evaluates the alert rules every `intervalMs`. A rule that starts to hold fires (and is listed as
 * firing until it stops holding, then as recent); each change is an audit event (`alert.fired`,
 * `alert.resolved`), added to the `audit` queue as every service does, job id = event id, so it joins
 * the hash chain in order with everything else. Events Redis refused are retried each evaluation.
 * A rule whose check throws counts as not firing this round (its own rule covers the cause:
 * PostgreSQL or Redis unreachable).
 *
 * The state is per process: with several audit replicas each evaluates and records its own
 * firings. History beyond the last RECENT_KEPT lives in the audit log (`action = alert.*`).
 */
export class AlertEvaluator {
  private readonly firing = new Map<string, Alert>();
  private recent: Alert[] = [];
  private unsent: AuditEvent[] = [];
  private evaluatedAt: Date | null = null;
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;

  constructor(
    private readonly rules: readonly RuleCheck[],
    private readonly auditQueue: TypedQueue<'audit'>,
    private readonly logger: Logger,
    private readonly intervalMs: number,
    private readonly now: () => Date = () => new Date(),
  ) {}

  start(): void {
    const tick = (): void => {
      this.running = this.evaluate()
        .catch((err: unknown) => this.logger.warn({ err }, 'alert evaluation failed'))
        .finally(() => {
          this.running = undefined;
          if (this.timer) this.timer = setTimeout(tick, this.intervalMs);
        });
    };
    this.timer = setTimeout(tick, 0);
  }

  async stop(): Promise<void> {
    clearTimeout(this.timer);
    this.timer = undefined;
    await this.running;
  }

  snapshot(): AlertsResponse {
    return { evaluated_at: this.evaluatedAt?.toISOString() ?? null, firing: [...this.firing.values()], recent: [...this.recent] };
  }

  /** One round over every rule. */
  async evaluate(): Promise<void> {
    const findings = await Promise.all(
      this.rules.map(async (r) => {
        try {
          return { r, f: await r.check() };
        } catch (err) {
          this.logger.warn({ err, rule: r.rule }, 'alert rule could not be evaluated');
          return { r, f: null };
        }
      }),
    );
    const at = this.now();
    this.evaluatedAt = at;
    for (const { r, f } of findings) {
      if (!f) continue;
      const current = this.firing.get(r.rule);
      if (f.firing && !current) {
        const alert: Alert = { rule: r.rule, severity: r.severity, state: 'firing', summary: f.summary, value: f.value, threshold: r.threshold, started_at: at.toISOString(), resolved_at: null };
        this.firing.set(r.rule, alert);
        this.logger.warn({ alert }, 'alert firing');
        this.unsent.push(this.event('alert.fired', alert, at));
      } else if (f.firing && current) {
        this.firing.set(r.rule, { ...current, value: f.value, summary: f.summary });
      } else if (!f.firing && current) {
        const resolved: Alert = { ...current, state: 'resolved', resolved_at: at.toISOString() };
        this.firing.delete(r.rule);
        this.recent = [resolved, ...this.recent].slice(0, RECENT_KEPT);
        this.logger.info({ alert: resolved }, 'alert resolved');
        this.unsent.push(this.event('alert.resolved', resolved, at));
      }
    }
    await this.send();
  }

  private event(action: 'alert.fired' | 'alert.resolved', alert: Alert, at: Date): AuditEvent {
    return {
      id: randomUUID(),
      at: at.toISOString(),
      service: 'audit',
      action,
      outcome: 'success',
      actor: { kind: 'system', id: null, email: null, role: null },
      target: { type: 'alert', id: alert.rule },
      ip: null,
      user_agent: null,
      request_id: null,
      details: { severity: alert.severity, summary: alert.summary, value: alert.value, threshold: alert.threshold, started_at: alert.started_at, resolved_at: alert.resolved_at },
    };
  }

  private async send(): Promise<void> {
    while (this.unsent.length > 0) {
      const e = this.unsent[0];
      if (!e) break;
      try {
        await this.auditQueue.add('audit.record', e, { request_id: null, actor_id: null }, { jobId: e.id });
      } catch (err) {
        this.logger.warn({ err, pending: this.unsent.length }, 'alert audit events not queued; retrying next evaluation');
        return;
      }
      this.unsent.shift();
    }
  }
}
