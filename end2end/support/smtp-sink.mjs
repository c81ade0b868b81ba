// A real SMTP server and HTTP SMS gateway on loopback for the browser tests: accepts
// every mail and SMS the portal sends and serves them as JSON so tests can read links
// and codes.
//   SMTP: 127.0.0.1:$SMTP_SINK_PORT        HTTP: 127.0.0.1:$SMTP_SINK_HTTP_PORT
//   GET /messages            → all mails [{ to, subject, text, html, messageId, date }]
//   POST /sms                → the portal's SMS gateway (JSON body {to, text}, bearer token)
//   GET /sms                 → all SMS [{ to, text, authorization, idempotencyKey, date }]
//   GET /health              → 200 when ready
import http from 'node:http';
import { SMTPServer } from 'smtp-server';
import { simpleParser } from 'mailparser';

const smtpPort = Number(process.env.SMTP_SINK_PORT ?? 2526);
const httpPort = Number(process.env.SMTP_SINK_HTTP_PORT ?? 2527);
const messages = [];
const texts = [];

const smtp = new SMTPServer({
  authOptional: true,
  disabledCommands: ['STARTTLS', 'AUTH'],
  logger: false,
  onData(stream, session, callback) {
    simpleParser(stream)
      .then((mail) => {
        messages.push({
          to: session.envelope.rcptTo.map((r) => r.address.toLowerCase()),
          subject: mail.subject ?? '',
          text: mail.text ?? '',
          html: typeof mail.html === 'string' ? mail.html : '',
          messageId: mail.messageId ?? null,
          date: new Date().toISOString(),
        });
        callback();
      })
      .catch((err) => callback(err));
  },
});
// A sender that dies mid-conversation (the kill -9 drill) resets its connection: that is
// the sender's problem, not a reason for the sink to stop.
smtp.on('error', (err) => console.error(`smtp sink: ${err.message}`));
smtp.listen(smtpPort, '127.0.0.1');

http
  .createServer((req, res) => {
    if (req.url === '/health') {
      res.writeHead(200).end('ok');
    } else if (req.url === '/messages') {
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(messages));
    } else if (req.url === '/sms' && req.method === 'POST') {
      let body = '';
      req.on('data', (chunk) => (body += chunk));
      req.on('end', () => {
        try {
          const { to, text } = JSON.parse(body);
          texts.push({
            to,
            text,
            authorization: req.headers.authorization ?? null,
            idempotencyKey: req.headers['idempotency-key'] ?? null,
            date: new Date().toISOString(),
          });
          res.writeHead(202).end();
        } catch {
          res.writeHead(400).end();
        }
      });
    } else if (req.url === '/sms') {
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(texts));
    } else {
      res.writeHead(404).end();
    }
  })
  .listen(httpPort, '127.0.0.1');
