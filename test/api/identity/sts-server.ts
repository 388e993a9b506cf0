// A small STS-compatible server for the tests: the Query protocol's AssumeRoleWithWebIdentity
// with an XML answer as STS gives it. It is a real protocol peer of Tessera, not a mock: it fetches
// Tessera's identity JWKS over HTTP, verifies the web identity token with jose and evaluates the
// two trust-policy conditions Cognito roles use (`cognito-identity.amazonaws.com:aud` and `:amr`).
import { createServer, type Server } from 'node:http';
import { randomBytes, randomUUID } from 'node:crypto';
import { createRemoteJWKSet, jwtVerify } from 'jose';

/** One statement of a role's trust policy: which pool (aud) and kind of identity (amr) may assume it. */
export interface RoleTrust {
  roleArn: string;
  aud: string;
  amr: 'authenticated' | 'unauthenticated';
}

export interface StsCall {
  roleArn: string;
  sessionName: string;
  durationSeconds: number;
  sub: string;
  aud: string;
  amr: string[];
  /** The access key id the call was answered with. */
  accessKeyId: string;
}

export interface FakeSts {
  url: string;
  /** Lets identities of pool `aud` with `amr` assume the role. */
  trust(roleArn: string, aud: string, amr: RoleTrust['amr']): void;
  calls: StsCall[];
  close(): Promise<void>;
}

/** Starts the server; `tesseraUrl` is read per call (the Tessera under test starts after it). */
export async function startSts(tesseraUrl: () => string): Promise<FakeSts> {
  const trusts: RoleTrust[] = [];
  const calls: StsCall[] = [];
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      answer(new URLSearchParams(Buffer.concat(chunks).toString('utf8')))
        .then(({ status, xml }) => res.writeHead(status, { 'content-type': 'text/xml' }).end(xml))
        .catch((e: Error) => res.writeHead(500, { 'content-type': 'text/xml' }).end(errorXml('Receiver', 'InternalFailure', e.message)));
    });
  });

  async function answer(form: URLSearchParams): Promise<{ status: number; xml: string }> {
    if (form.get('Action') !== 'AssumeRoleWithWebIdentity' || form.get('Version') !== '2011-06-15') {
      return { status: 400, xml: errorXml('Sender', 'InvalidAction', 'Could not find operation') };
    }
    const roleArn = form.get('RoleArn') ?? '';
    const sessionName = form.get('RoleSessionName') ?? '';
    const durationSeconds = Number(form.get('DurationSeconds') ?? 3600);
    const base = tesseraUrl();
    let payload;
    try {
      ({ payload } = await jwtVerify(form.get('WebIdentityToken') ?? '', createRemoteJWKSet(new URL(`${base}/identity/.well-known/jwks_uri`)), {
        issuer: `${base}/identity`,
      }));
    } catch (e) {
      return { status: 400, xml: errorXml('Sender', 'InvalidIdentityToken', `Couldn't verify the token: ${(e as Error).message}`) };
    }
    const amr = Array.isArray(payload.amr) ? (payload.amr as string[]) : [];
    if (!trusts.some((t) => t.roleArn === roleArn && t.aud === payload.aud && amr.includes(t.amr))) {
      return { status: 403, xml: errorXml('Sender', 'AccessDenied', 'Not authorized to perform sts:AssumeRoleWithWebIdentity') };
    }
    const accessKeyId = 'ASIASTS' + randomBytes(7).toString('hex').toUpperCase().slice(0, 13);
    calls.push({ roleArn, sessionName, durationSeconds, sub: String(payload.sub), aud: String(payload.aud), amr, accessKeyId });
    const roleName = roleArn.split('/').pop();
    const expiration = new Date(Date.now() + durationSeconds * 1000).toISOString();
    return {
      status: 200,
      xml: `<AssumeRoleWithWebIdentityResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/">
  <AssumeRoleWithWebIdentityResult>
    <SubjectFromWebIdentityToken>${payload.sub}</SubjectFromWebIdentityToken>
    <Audience>${payload.aud}</Audience>
    <AssumedRoleUser>
      <Arn>arn:aws:sts::000000000000:assumed-role/${roleName}/${sessionName}</Arn>
      <AssumedRoleId>AROA${randomBytes(8).toString('hex').toUpperCase()}:${sessionName}</AssumedRoleId>
    </AssumedRoleUser>
    <Credentials>
      <SessionToken>${randomBytes(64).toString('base64')}</SessionToken>
      <SecretAccessKey>${randomBytes(30).toString('base64')}</SecretAccessKey>
      <Expiration>${expiration}</Expiration>
      <AccessKeyId>${accessKeyId}</AccessKeyId>
    </Credentials>
    <Provider>${base}/identity</Provider>
  </AssumeRoleWithWebIdentityResult>
  <ResponseMetadata>
    <RequestId>${randomUUID()}</RequestId>
  </ResponseMetadata>
</AssumeRoleWithWebIdentityResponse>`,
    };
  }

  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as { port: number }).port;
  return {
    url: `http://127.0.0.1:${port}`,
    trust: (roleArn, aud, amr) => trusts.push({ roleArn, aud, amr }),
    calls,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

function errorXml(type: string, code: string, message: string): string {
  return `<ErrorResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/">
  <Error><Type>${type}</Type><Code>${code}</Code><Message>${message.replace(/[<&>]/g, ' ')}</Message></Error>
  <RequestId>${randomUUID()}</RequestId>
</ErrorResponse>`;
}
