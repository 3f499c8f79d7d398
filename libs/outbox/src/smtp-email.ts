import nodemailer from 'nodemailer';
import type { TopicHandler } from './topic-handler';

export interface SmtpEmailOptions {
  /** smtp://user:pass@host:port or smtps://… (nodemailer's connection URL). */
  readonly url: string;
  /** The sender address of every message. */
  readonly from?: string;
}

/**
 * `email` rows sent by SMTP. The Message-ID is derived from the row id, so a message sent twice
 * (a relay that died between sending and marking) can be recognised as one by the receiving side.
 */
export function smtpEmail(opts: SmtpEmailOptions): TopicHandler<'email'> {
  const transport = nodemailer.createTransport(opts.url);
  const from = opts.from ?? 'Inkwell <no-reply@inkwell.invalid>';
  return {
    async deliver(email, rowId, signal) {
      await transport.sendMail({ from, to: email.to, subject: email.subject, text: email.text, messageId: `<${rowId}@outbox.inkwell>`, signal });
    },
    close() {
      transport.close();
      return Promise.resolve();
    },
  };
}
