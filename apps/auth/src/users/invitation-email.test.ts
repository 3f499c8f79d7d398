import type { AddressInfo } from 'node:net';
import { SMTPServer } from 'smtp-server';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { IDENTITY_HEADER } from '@inkwell/contracts';
import { authFixture, type AuthFixture } from '../testing/auth-fixture';

/** A local SMTP server on an ephemeral port that keeps what it receives and can refuse on demand. */
async function startSmtp() {
  const received: { to: string[]; raw: string }[] = [];
  const waiters: { to: string; resolve: (raw: string) => void }[] = [];
  let refuseNext = 0;
  let refused = 0;
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['AUTH', 'STARTTLS'],
    logger: false,
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (c: Buffer) => chunks.push(c));
      stream.on('end', () => {
        if (refuseNext > 0) {
          refuseNext--;
          refused++;
          // 451: a temporary failure, as a greylisting or overloaded server answers.
          return callback(Object.assign(new Error('try again later'), { responseCode: 451 }));
        }
        const to = session.envelope.rcptTo.map((r) => r.address);
        const raw = Buffer.concat(chunks).toString('utf8');
        received.push({ to, raw });
        for (const w of waiters.filter((w) => to.includes(w.to))) w.resolve(raw);
        callback();
      });
    },
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.server.address() as AddressInfo;
  return {
    url: `smtp://127.0.0.1:${port}`,
    received,
    refused: () => refused,
    refuse(n: number) {
      refuseNext = n;
    },
    /** Resolves with the first message to `to`, or rejects after `timeoutMs`. */
    messageTo(to: string, timeoutMs: number): Promise<string> {
      const got = received.find((m) => m.to.includes(to));
      if (got) return Promise.resolve(got.raw);
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`no e-mail to ${to} within ${timeoutMs} ms`)), timeoutMs);
        waiters.push({ to, resolve: (raw) => (clearTimeout(timer), resolve(raw)) });
      });
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

let smtp: Awaited<ReturnType<typeof startSmtp>>;
let f: AuthFixture;
let adminId = '';
beforeAll(async () => {
  smtp = await startSmtp();
  f = await authFixture({ SMTP_URL: smtp.url });
  adminId = await f.createAdmin('boss@example.com', 'boss-password-123');
  f.relay.start();
});
afterAll(async () => {
  await f.close();
  await smtp.close();
});

const createUser = (email: string) => request(f.app).post('/api/admin/users').set(IDENTITY_HEADER, f.asUser(adminId, 'admin')).send({ email, name: 'Invited Person', role: 'engineer' });
const emailRow = async (to: string) => f.db('outbox').where({ topic: 'email' }).whereRaw(`payload->>'to' = ?`, [to]).first<{ sent_at: Date | null; attempts: number } | undefined>();

describe('invitation e-mails', () => {
  it('sends the invitation by SMTP when an admin creates a user, without the temporary password', async () => {
    const res = await createUser('invitee@example.com');
    expect(res.status).toBe(201);
    const raw = await smtp.messageTo('invitee@example.com', 10_000);
    expect(raw).toMatch(/^Subject: Your Inkwell account/m);
    expect(raw).toMatch(/^To: invitee@example\.com/m);
    expect(raw).toContain('temporary password');
    expect(raw).not.toContain(res.body.temporary_password as string);
    await expect.poll(async () => (await emailRow('invitee@example.com'))?.sent_at ?? null, { timeout: 5000 }).not.toBeNull();
  });

  it('retries with backoff while the SMTP server refuses, and delivers the invitation once', async () => {
    smtp.refuse(2);
    const before = smtp.refused();
    const res = await createUser('patient@example.com');
    expect(res.status).toBe(201);
    await smtp.messageTo('patient@example.com', 15_000);
    expect(smtp.refused() - before).toBe(2);
    await expect.poll(async () => (await emailRow('patient@example.com'))?.sent_at ?? null, { timeout: 5000 }).not.toBeNull();
    expect((await emailRow('patient@example.com'))?.attempts).toBe(2);
    // Nothing is left to send: another pass delivers nothing more.
    expect((await f.relay.drain()).sent).toBe(0);
    expect(smtp.received.filter((m) => m.to.includes('patient@example.com'))).toHaveLength(1);
  }, 30_000);
});
