// Migrations in order. Each module exports `up(db, engine)`; a new one is appended here, with a
// number that is never reused. They run at start, inside a transaction, once per database.
import type { Kysely } from 'kysely';
import * as core from './001-core.js';
import * as tokens from './002-tokens.js';
import * as auth from './003-auth.js';
import * as identity from './004-identity.js';
import * as sync from './005-sync.js';
import * as usersSubSearch from './006-users-sub-search.js';
import * as oauth from './007-oauth.js';
import * as imports from './010-imports.js';
import * as mfa from './009-mfa.js';
import * as audit from './011-audit.js';
import * as federation from './012-federation.js';
import * as syncPush from './013-sync-push.js';
import * as clientSecrets from './014-client-secrets.js';
import * as sessions from './015-sessions.js';
import * as terms from './016-terms.js';
import * as risk from './017-risk.js';
import * as syncOrphans from './018-sync-orphans.js';
import * as authSessionState from './019-auth-session-state.js';

export interface Migration {
  name: string;
  up(db: Kysely<any>, engine: 'sqlite' | 'postgres'): Promise<void>;
}

export const migrations: Migration[] = [
  { name: '001-core', up: core.up },
  { name: '002-tokens', up: tokens.up },
  { name: '003-auth', up: auth.up },
  { name: '004-identity', up: identity.up },
  { name: '005-sync', up: sync.up },
  { name: '006-users-sub-search', up: usersSubSearch.up },
  { name: '007-oauth', up: oauth.up },
  { name: '010-imports', up: imports.up },
  { name: '009-mfa', up: mfa.up },
  { name: '011-audit', up: audit.up },
  { name: '012-federation', up: federation.up },
  { name: '013-sync-push', up: syncPush.up },
  { name: '014-client-secrets', up: clientSecrets.up },
  { name: '015-sessions', up: sessions.up },
  { name: '016-terms', up: terms.up },
  { name: '017-risk', up: risk.up },
  { name: '018-sync-orphans', up: syncOrphans.up },
  { name: '019-auth-session-state', up: authSessionState.up },
];
