// Row types of every table, as Kysely sees them. Times are epoch milliseconds; documents are JSON
// text; values that are secret at rest are sealed strings (src/crypto/sealed.ts).

export interface UserPoolRow {
  id: string;
  name: string;
  /** The pool's settings document (Cognito's UserPoolType members that we keep), JSON. */
  config: string;
  created_at: number;
  updated_at: number;
}

export interface AppClientRow {
  id: string;
  pool_id: string;
  name: string;
  /** Sealed client secret, or null for a public client. */
  secret: string | null;
  config: string;
  created_at: number;
  updated_at: number;
}

export interface UserRow {
  /** The user's `sub`. */
  id: string;
  pool_id: string;
  username: string;
  /** Username as compared: lower-cased for case-insensitive pools. */
  username_norm: string;
  status: string;
  enabled: number;
  /** Attributes other than sub, JSON object name -> string value. */
  attributes: string;
  /** Sealed password material (SRP salt and verifier, or an imported hash), or null. */
  password: string | null;
  /** MFA settings, devices preferences and other per-user state, JSON. */
  mfa: string;
  created_at: number;
  updated_at: number;
  password_updated_at: number | null;
}

export interface UserAliasRow {
  pool_id: string;
  /** email, phone_number or preferred_username */
  kind: string;
  value_norm: string;
  user_id: string;
}

export interface UserSearchRow {
  pool_id: string;
  attr: string;
  value: string;
  user_id: string;
}

export interface GroupRow {
  pool_id: string;
  name: string;
  description: string | null;
  role_arn: string | null;
  precedence: number | null;
  created_at: number;
  updated_at: number;
}

export interface UserGroupRow {
  pool_id: string;
  group_name: string;
  user_id: string;
}

export interface CodeRow {
  user_id: string;
  purpose: string;
  pool_id: string;
  code_hash: string;
  expires_at: number;
  attempts: number;
  /** JSON: what the code confirms (for example the attribute value being verified). */
  data: string;
  created_at: number;
}

export interface TagRow {
  resource: string;
  key: string;
  value: string;
}

export interface OutboxRow {
  id: string;
  channel: string;
  pool_id: string | null;
  destination: string;
  subject: string | null;
  body: string;
  created_at: number;
}

export interface SettingRow {
  key: string;
  value: string;
}

export interface Database {
  user_pools: UserPoolRow;
  app_clients: AppClientRow;
  users: UserRow;
  user_aliases: UserAliasRow;
  user_search: UserSearchRow;
  groups: GroupRow;
  user_groups: UserGroupRow;
  codes: CodeRow;
  tags: TagRow;
  outbox: OutboxRow;
  settings: SettingRow;
}
