// The cookie that binds a federated sign-in to its browser (src/federation/browser-binding.ts):
// its name under TLS (a prefix only secure origins may set), the cap on sign-ins under way, and
// the verdicts of the check. The whole flows run in test/federation/*-sign-in.test.ts.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { REPOSTED, bindToBrowser, checkBrowser } from '../../src/federation/browser-binding.js';
import type { Hosted } from '../../src/oauth/http.js';

/** Just what the binding touches of a hosted request: its cookies and the reply's Set-Cookie. */
function hosted(o: { secure?: boolean; base?: string; cookies?: Record<string, string> } = {}): Hosted & { setCookies(): string[] } {
  const headers = new Map<string, unknown>();
  const reply = {
    getHeader: (n: string) => headers.get(n),
    header(n: string, v: unknown) {
      headers.set(n, v);
      return reply;
    },
  };
  const h = { secure: o.secure ?? false, base: o.base ?? '/_domain/app', cookies: o.cookies ?? {}, reply, baseUrl: 'http://127.0.0.1/_domain/app' } as unknown as Hosted;
  return Object.assign(h, { setCookies: () => (headers.get('set-cookie') as string[] | undefined) ?? [] });
}

/** The cookie a start set, as the browser would send it back. */
function sent(h: ReturnType<typeof hosted>): Record<string, string> {
  const [pair] = h.setCookies().at(-1)!.split(';');
  const eq = pair.indexOf('=');
  return { [pair.slice(0, eq)]: pair.slice(eq + 1) };
}

describe('browser binding of federated sign-ins', () => {
  test('the cookie name: plain over HTTP, __Host- (Path=/) on a TLS host domain, __Secure- on a TLS path domain', () => {
    const plain = hosted();
    bindToBrowser(plain, 600_000);
    assert.match(plain.setCookies()[0], /^tessera-idp-[0-9a-f]{12}=[\w-]{32}; Path=\/_domain\/app\/; Max-Age=600; HttpOnly; SameSite=Lax$/);

    const host = hosted({ secure: true, base: '' });
    bindToBrowser(host, 600_000);
    assert.match(host.setCookies()[0], /^__Host-tessera-idp-[0-9a-f]{12}=[^;]+; Path=\/; .*; Secure$/);

    const path = hosted({ secure: true });
    bindToBrowser(path, 600_000);
    assert.match(path.setCookies()[0], /^__Secure-tessera-idp-[0-9a-f]{12}=[^;]+; Path=\/_domain\/app\/; .*; Secure$/);
  });

  test('the starting browser passes once its cookie matches, and the cookie is cleared', () => {
    const start = hosted({ secure: true, base: '' });
    const binding = bindToBrowser(start, 600_000);
    const back = hosted({ secure: true, base: '', cookies: sent(start) });
    assert.deepEqual(checkBrowser(back, binding), { ok: true });
    assert.match(back.setCookies()[0], /^__Host-tessera-idp-[0-9a-f]{12}=; Path=\/; Max-Age=0;/);
  });

  test('refused: no cookie, another value, the name without its TLS prefix, a binding that is not one', () => {
    const start = hosted({ secure: true, base: '' });
    const binding = bindToBrowser(start, 600_000);
    const [[name, value]] = Object.entries(sent(start));
    const why = (cookies: Record<string, string>, b = binding, post?: URLSearchParams) => {
      const r = checkBrowser(hosted({ secure: true, base: '', cookies }), b, post ? { path: '/oauth2/idpresponse', form: post } : undefined);
      return r.ok ? 'ok' : r.why;
    };
    assert.equal(why({}), 'other-browser');
    assert.equal(why({ [name]: `${value}x` }), 'other-browser');
    // Planted over plain HTTP or from a sibling domain, a cookie cannot carry the __Host- prefix.
    assert.equal(why({ [name.replace('__Host-', '')]: value }), 'other-browser');
    for (const b of ['', 'no-dot', '.', `${binding.split('.')[0]}.`]) assert.equal(why({ [name]: value }, b), 'other-browser', b);
    // A POST without the cookie is posted once more from Tessera's origin; marked, it is judged.
    assert.equal(why({}, binding, new URLSearchParams({ code: 'c', state: 's' })), 'repost');
    assert.equal(why({}, binding, new URLSearchParams({ code: 'c', state: 's', [REPOSTED]: '1' })), 'other-browser');
    assert.equal(why({ [name]: 'wrong' }, binding, new URLSearchParams({ code: 'c' })), 'other-browser');
    assert.equal(why({ [name]: value }, binding, new URLSearchParams({ code: 'c' })), 'ok');
  });

  test('at most five sign-ins under way: a sixth start clears the cookies of the others', () => {
    const four = Object.fromEntries([1, 2, 3, 4].map((i) => [`tessera-idp-00000000000${i}`, `v${i}`]));
    const under = hosted({ cookies: { ...four, cognito: 'session' } });
    bindToBrowser(under, 600_000);
    assert.equal(under.setCookies().length, 1, 'four under way: nothing cleared');

    const five = { ...four, 'tessera-idp-000000000005': 'v5' };
    const over = hosted({ cookies: { ...five, cognito: 'session' } });
    bindToBrowser(over, 600_000);
    const cleared = over.setCookies().filter((c) => /Max-Age=0/.test(c)).map((c) => c.split('=')[0]);
    assert.deepEqual(cleared.sort(), Object.keys(five).sort());
    assert.match(over.setCookies().at(-1)!, /^tessera-idp-[0-9a-f]{12}=[\w-]+; .*Max-Age=600/);
  });
});
