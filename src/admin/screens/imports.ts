// Import and export: the pool's import jobs (ListUserImportJobs), a new job from an uploaded CSV
// file (CreateUserImportJob, then the file PUT to the job's pre-signed URL exactly as a client
// would, in-process), start and stop, progress (the page refreshes itself while the job runs)
// and the rows that failed. Export is what `tessera export` writes (src/cli/pool-copy.ts), streamed
// to the browser as a download, encrypted under the key typed into the form (used for this
// response only: never stored or logged); it is an AdminAction event ExportPool. Importing such a
// file into another Tessera is the operator command `tessera import`, shown on the page.
import { PassThrough } from 'node:stream';
import { ArchiveError, ArchiveWriter, parseKey } from '../../cli/archive.js';
import { exportPool } from '../../cli/pool-copy.js';
import { MAX_UPLOAD_BYTES } from '../../import/jobs.js';
import { InvalidParameterException } from '../../errors.js';
import { esc, form, hidden, input, poolUrl, select, table, when } from '../html.js';
import type { AdminRouter } from '../kit.js';
import { poolOf } from './pools.js';

const enc = encodeURIComponent;
const jobUrl = (pool: string, job: string) => `${poolUrl(pool)}/imports/${enc(job)}`;
const LIVE = new Set(['Pending', 'InProgress', 'Stopping']);
const DEFAULT_ROLE = 'arn:aws:iam::000000000000:role/tessera-user-import';
/** Largest CSV file the console's form takes (it is held in memory); larger ones go to the pre-signed URL. */
const CONSOLE_UPLOAD_BYTES = 64 * 1024 * 1024;

export function registerImportsScreen(r: AdminRouter): void {
  r.get('/admin/pools/:pool/imports', async (ctx) => {
    const poolId = ctx.req.params.pool;
    const [pool, jobs, header] = await Promise.all([
      poolOf(ctx, poolId),
      ctx.call('ListUserImportJobs', { UserPoolId: poolId, MaxResults: 50 }),
      ctx.call('GetCSVHeader', { UserPoolId: poolId }),
    ]);
    const rows = (jobs.UserImportJobs ?? []).map((j: any) => [
      `<a href="${jobUrl(poolId, j.JobId)}">${esc(j.JobName)}</a>`,
      esc(j.Status),
      esc(`${j.ImportedUsers ?? 0} imported, ${j.SkippedUsers ?? 0} skipped, ${j.FailedUsers ?? 0} failed`),
      when(j.CreationDate),
    ]);
    return ctx.show({
      title: `Import & export of ${pool.Name}`,
      pool: { id: poolId, name: pool.Name, screen: '/imports' },
      body: `<h2>Import users</h2>${table('Import jobs', ['Job', 'Status', 'Progress', 'Created'], rows)}
<p>The CSV file's first line names the columns (GetCSVHeader):</p><pre>${esc((header.CSVHeader ?? []).join(','))}</pre>
<p>Users arrive as RESET_REQUIRED unless the row carries a password hash of the algorithm chosen below (README "Importing users").</p>
${form(`${poolUrl(poolId)}/imports`, 'New import job', ctx.s.csrf,
  input('name', 'Job name', { required: true }) +
    input('csv', 'CSV file', { type: 'file', accept: '.csv,text/csv', hint: `Up to ${CONSOLE_UPLOAD_BYTES / 1024 / 1024} MB here. Left empty, the job's page shows the upload URL for a larger file.` }) +
    select('hash', 'Password hashes in the file', [['', 'none'], 'BCRYPT', 'SCRYPT', 'ARGON2ID', 'PBKDF2_SHA256']) +
    input('role', 'CloudWatch Logs role ARN (kept, not used)', { value: DEFAULT_ROLE }),
  'Create job', { multipart: true })}
<h2>Export the pool</h2>
<p>An export holds the pool's configuration, app clients, groups, users with their attributes, MFA enrolments and password material, encrypted under a key you choose and keep (for example <code>openssl rand -hex 32</code>). The file downloads as it is written.</p>
${form(`${poolUrl(poolId)}/export`, 'Download an encrypted export', ctx.s.csrf, input('key', 'Export key (32 bytes as 64 hex digits or base64)', { type: 'password', required: true }), 'Download export')}
<p>Load it into another Tessera (same key) with the operator command, which shows its progress:</p>
<pre>TESSERA_EXPORT_KEY=&lt;the key&gt; npm run tessera -- import --in ${esc(poolId)}.tessera</pre>
<p>Or export on the server itself: <code>npm run tessera -- export --pool ${esc(poolId)} --out ${esc(poolId)}.tessera</code></p>`,
    });
  });

  r.post('/admin/pools/:pool/imports', async (ctx) => {
    const poolId = ctx.req.params.pool;
    const f = ctx.form;
    const file = ctx.files.get('csv');
    const res = await ctx.call('CreateUserImportJob', {
      UserPoolId: poolId,
      JobName: f.get('name') ?? '',
      CloudWatchLogsRoleArn: f.get('role') || DEFAULT_ROLE,
      ...(f.get('hash') ? { PasswordHashingAlgorithm: f.get('hash') } : {}),
    });
    const job = res.UserImportJob;
    if (!file) return ctx.done(jobUrl(poolId, job.JobId), 'Job created: upload the file to its URL, then start it.');
    // The pre-signed URL is Tessera's own route: PUT the file to it as any client would.
    const url = new URL(job.PreSignedUrl);
    const put = await ctx.fastify.inject({ method: 'PUT', url: `${url.pathname}${url.search}`, payload: file.bytes, headers: { 'content-type': 'text/csv' } });
    if (put.statusCode !== 200) return ctx.done(jobUrl(poolId, job.JobId), `The upload was refused (${put.statusCode}).`);
    return ctx.done(jobUrl(poolId, job.JobId), 'File uploaded: start the job when ready.');
  }, { bodyLimit: CONSOLE_UPLOAD_BYTES + 64 * 1024 });

  r.get('/admin/pools/:pool/imports/:job', async (ctx) => {
    const { pool: poolId, job: jobId } = ctx.req.params;
    const [pool, d] = await Promise.all([poolOf(ctx, poolId), ctx.call('DescribeUserImportJob', { UserPoolId: poolId, JobId: jobId })]);
    const j = d.UserImportJob;
    const done = (j.ImportedUsers ?? 0) + (j.SkippedUsers ?? 0) + (j.FailedUsers ?? 0);
    const live = LIVE.has(j.Status);
    // Read-only: the job's failed rows, as its errors URL serves them.
    const failed = (j.FailedUsers ?? 0) > 0 ? await ctx.app.store.imports.listErrors(j.JobId, 50) : [];
    const base = jobUrl(poolId, j.JobId);
    const controls =
      j.Status === 'Created'
        ? form(`${base}/start`, 'Start the import', ctx.s.csrf, hidden('x', '1'), 'Start import')
        : live
          ? form(`${base}/stop`, 'Stop the import', ctx.s.csrf, hidden('x', '1'), 'Stop import', { danger: true })
          : '';
    return ctx.show({
      title: `Import job ${j.JobName}`,
      pool: { id: poolId, name: pool.Name, screen: '/imports' },
      body: `${live ? '<meta http-equiv="refresh" content="2">' : ''}<p><a href="${poolUrl(poolId)}/imports">Back to the import jobs</a></p>
<p role="status" id="job-status">Status ${esc(j.Status)}: ${esc(done)} rows done (${esc(j.ImportedUsers ?? 0)} imported, ${esc(j.SkippedUsers ?? 0)} skipped, ${esc(j.FailedUsers ?? 0)} failed).</p>
${live ? `<label for="job-progress">Progress</label><progress id="job-progress" class="meter"></progress>` : ''}
${table('Import job', ['Property', 'Value'], [
  ['Id', `<code>${esc(j.JobId)}</code>`],
  ['Created', when(j.CreationDate)],
  ['Started', when(j.StartDate)],
  ['Completed', when(j.CompletionDate)],
  ['Hashes', esc(j.PasswordHashingAlgorithm ?? 'none')],
  ['Message', esc(j.CompletionMessage ?? '')],
])}
${j.Status === 'Created' && j.PreSignedUrl ? `<p>Upload the file (up to ${MAX_UPLOAD_BYTES / 1024 / 1024} MB), then start the job:</p><pre>curl -T users.csv '${esc(j.PreSignedUrl)}'</pre>` : ''}
${controls}
${table('Failed rows', ['Line', 'Username', 'Reason'], failed.map((e: any) => [esc(e.line), esc(e.username ?? ''), esc(e.message)]))}`,
    });
  });

  r.post('/admin/pools/:pool/export', async (ctx) => {
    const pool = await poolOf(ctx, ctx.req.params.pool);
    let key: Buffer;
    try {
      key = parseKey(ctx.form.get('key') ?? '');
    } catch (e) {
      if (e instanceof ArchiveError) throw new InvalidParameterException(`The export key must be 32 bytes, as 64 hex digits or base64.`);
      throw e;
    }
    const out = new PassThrough();
    const writer = new ArchiveWriter(out, key);
    const { app, req } = ctx;
    await app.audit.record({ poolId: pool.Id, type: 'AdminAction', outcome: 'Pass', sourceIp: req.ip, requestId: req.id, detail: { op: 'ExportPool', accessKeyId: ctx.s.accessKeyId } });
    // Written while the browser reads: memory holds about one frame. A failure cuts the download,
    // and a cut file is refused on import (the last frame carries its flag).
    void exportPool(app, pool.Id, writer, () => {})
      .then(() => writer.close())
      .catch((err) => {
        app.log.error({ err, poolId: pool.Id }, 'console export failed');
        out.destroy(err instanceof Error ? err : new Error(String(err)));
      });
    return ctx.reply
      .code(200)
      .header('content-type', 'application/octet-stream')
      .header('content-disposition', `attachment; filename="${pool.Id}.tessera"`)
      .header('cache-control', 'no-store')
      .header('x-content-type-options', 'nosniff')
      .send(out);
  });

  r.post('/admin/pools/:pool/imports/:job/start', async (ctx) => {
    const { pool: poolId, job: jobId } = ctx.req.params;
    await ctx.call('StartUserImportJob', { UserPoolId: poolId, JobId: jobId });
    return ctx.done(jobUrl(poolId, jobId), 'Import started.');
  });

  r.post('/admin/pools/:pool/imports/:job/stop', async (ctx) => {
    const { pool: poolId, job: jobId } = ctx.req.params;
    await ctx.call('StopUserImportJob', { UserPoolId: poolId, JobId: jobId });
    return ctx.done(jobUrl(poolId, jobId), 'Import stopping.');
  });
}
