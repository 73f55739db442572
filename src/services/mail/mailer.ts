import nodemailer from 'nodemailer';

export interface MailMessage {
  to: string;
  subject: string;
  text: string;
}

/** Sends one message; throws when the server refuses it. */
export interface Mailer {
  send(message: MailMessage): Promise<void>;
  describe: string;
}

/**
 * SMTP when SMTP_URL is set (e.g. smtp://user:pass@mail.example.org:587); otherwise messages are
 * written to the log, so a laptop install shows what would have been sent.
 */
export function createMailer(options: {
  smtpUrl?: string | undefined;
  from: string;
  log?: (line: string) => void;
}): Mailer {
  if (!options.smtpUrl) {
    const log = options.log ?? ((line: string) => console.log(line));
    return {
      describe: 'log',
      send: async (m) => log(`E-mail (not sent: no SMTP_URL) to ${m.to}: ${m.subject}\n${m.text}`),
    };
  }
  const transport = nodemailer.createTransport(options.smtpUrl);
  return {
    describe: 'smtp',
    send: async (m) => {
      await transport.sendMail({ from: options.from, to: m.to, subject: m.subject, text: m.text });
    },
  };
}
