// The import jobs' pre-signed URL (src/import/jobs.ts), served by Tessera as S3 serves Cognito's:
//   PUT /_tessera/import/:jobId?token=...          the CSV file as the body (any Content-Type;
//                                                   x-amz-server-side-encryption is accepted and ignored)
//                                                   -> 200 with an ETag, like S3
//   GET /_tessera/import/:jobId/errors?token=...   the rows that were not imported, as CSV
//                                                   (line,username,message), the job's log
// Errors answer S3's XML (<Error><Code>AccessDenied</Code>...). The body is streamed into the
// store, never held whole: this route reads the raw request itself.
import type { FastifyInstance, FastifyReply } from 'fastify';
import type { App } from '../app.js';
import { UploadRefused } from './jobs.js';

const PAGE = 1000;

function s3Error(reply: FastifyReply, e: UploadRefused) {
  const xml = `<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>${e.code}</Code><Message>${e.message.replace(/[<&>]/g, '')}</Message></Error>`;
  return reply.code(e.status).header('content-type', 'application/xml').send(xml);
}

const csvCell = (v: string | number | null) => {
  const s = v === null ? '' : String(v);
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
};

export function registerImportRoutes(fastify: FastifyInstance, app: App): void {
  void fastify.register(async (scope) => {
    // The body is the file: leave the stream unread for the handler.
    scope.removeAllContentTypeParsers();
    scope.addContentTypeParser('*', (_req, _payload, done) => done(null));

    scope.put<{ Params: { jobId: string }; Querystring: { token?: string } }>('/_tessera/import/:jobId', async (req, reply) => {
      try {
        const { etag } = await app.imports.receiveUpload(req.params.jobId, req.query.token ?? '', req.raw);
        return reply.code(200).header('etag', etag).send();
      } catch (e) {
        if (e instanceof UploadRefused) return s3Error(reply, e);
        throw e;
      }
    });

    scope.get<{ Params: { jobId: string }; Querystring: { token?: string } }>('/_tessera/import/:jobId/errors', async (req, reply) => {
      const lines = ['line,username,message'];
      try {
        for (let after = 0; ; ) {
          const rows = await app.imports.failedRows(req.params.jobId, req.query.token ?? '', PAGE, after);
          for (const r of rows) lines.push([r.line, r.username, r.message].map(csvCell).join(','));
          if (rows.length < PAGE) break;
          after = rows[rows.length - 1]!.line;
        }
      } catch (e) {
        if (e instanceof UploadRefused) return s3Error(reply, e);
        throw e;
      }
      return reply.header('content-type', 'text/csv; charset=utf-8').send(lines.join('\n') + '\n');
    });
  });
}
