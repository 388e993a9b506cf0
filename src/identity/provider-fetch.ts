// HTTP to the login providers identity pools check tokens with (Google, Apple, Facebook Graph,
// Login with Amazon, OIDC issuers). TESSERA_IDENTITY_PROVIDER_ENDPOINTS may send a provider's
// origin elsewhere (a test double, an egress proxy): `https://graph.facebook.com/v17.0/me` with
// `{ "https://graph.facebook.com": "http://127.0.0.1:4100/fb" }` is fetched from
// `http://127.0.0.1:4100/fb/v17.0/me`. Issuers and audiences are still compared with the real
// names; only where the bytes come from changes.
//
// A provider that cannot be reached, times out or answers 5xx is ExternalServiceException
// (Cognito's answer when "an exception occurs while calling an external service").
import { ExternalServiceException } from '../errors.js';

const TIMEOUT_MS = 10_000;

export type ProviderFetch = (url: string, what: string) => Promise<Response>;

/** The URL to fetch for `url`, after the origin overrides. */
export function rewriteUrl(url: string, overrides: Record<string, string>): string {
  const u = new URL(url);
  const to = overrides[u.origin];
  return to === undefined ? url : `${to}${u.pathname}${u.search}`;
}

/** A GET through the overrides; failures to get an answer are ExternalServiceException. */
export function providerFetch(overrides: () => Record<string, string>): ProviderFetch {
  return async (url, what) => {
    let res: Response;
    try {
      res = await fetch(rewriteUrl(url, overrides()), {
        headers: { accept: 'application/json' },
        signal: AbortSignal.timeout(TIMEOUT_MS),
        redirect: 'error',
      });
    } catch {
      throw new ExternalServiceException(`${what} could not be reached.`);
    }
    if (res.status >= 500) throw new ExternalServiceException(`${what} answered HTTP ${res.status}.`);
    return res;
  };
}

/** The JSON body of a response, or ExternalServiceException. */
export async function jsonOf(res: Response, what: string): Promise<Record<string, unknown>> {
  try {
    const v = await res.json();
    if (typeof v === 'object' && v !== null && !Array.isArray(v)) return v as Record<string, unknown>;
  } catch {
    /* fall through */
  }
  throw new ExternalServiceException(`${what} answered something that is not a JSON object.`);
}
