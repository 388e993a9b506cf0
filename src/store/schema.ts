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
  /** Sealed client secret (the oldest active one), or null for a public client. */
  secret: string | null;
  /** All active secrets once one was added or deleted: JSON [{ id, secret (sealed), created_at }], oldest first. */
  secrets?: string | null;
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

export interface SigningKeyRow {
  /** The JWT header `kid`. */
  kid: string;
  pool_id: string;
  /** 'id' or 'access': Cognito signs the two token kinds with different keys. */
  token_use: string;
  /** 0 for the first key of a pool and use, +1 on each rotation; the highest is current. */
  generation: number;
  /** Public JWK, JSON. */
  public_jwk: string;
  /** Sealed private JWK (purpose 'signing-key'). */
  private_jwk: string;
  created_at: number;
  /** When a newer generation replaced it; null while current. */
  retired_at: number | null;
}

export interface RiskConfigurationRow {
  pool_id: string;
  /** '' for the pool's own */
  client_id: string;
  config: string;
  updated_at: number;
}

export interface TermsRow {
  id: string;
  pool_id: string;
  client_id: string;
  /** terms-of-use or privacy-policy */
  name: string;
  source: string;
  enforcement: string;
  /** JSON: language id -> URL */
  links: string;
  created_at: number;
  updated_at: number;
}

export interface TokenSessionRow {
  family_id: string;
  pool_id: string;
  user_id: string;
  sso_session_id: string | null;
  last_active_at: number;
  last_ip: string | null;
  device_type: string | null;
}

export interface SsoSessionRow {
  id: string;
  pool_id: string;
  user_id: string;
  client_id: string;
  auth_time: number;
  created_at: number;
  last_active_at: number;
  last_ip: string | null;
  device_type: string | null;
  expires_at: number;
  revoked_at: number | null;
}

export interface TokenFamilyRow {
  /** The `origin_jti` of every token derived from one sign-in. */
  id: string;
  pool_id: string;
  client_id: string;
  user_id: string;
  event_id: string;
  /** Time of the sign-in (ms): `auth_time` of every token of the family. */
  auth_time: number;
  device_key: string | null;
  /** Space-separated access token scopes. */
  scopes: string;
  created_at: number;
  /** Expiry of the sign-in's first refresh token; rotation does not move it (see TokenRepo.purgeExpired). */
  expires_at: number;
  revoked_at: number | null;
}

export interface RefreshTokenRow {
  /** SHA-256 (hex) of the token; the token itself is never stored. */
  token_hash: string;
  family_id: string;
  /** The token this one replaced by rotation. */
  parent_hash: string | null;
  created_at: number;
  expires_at: number;
}

/** Failed sign-ins of one subject (`user:<sub>`, `name:<typed name>` or `ip:<address>`) in a pool. */
export interface AuthFailureRow {
  pool_id: string;
  subject: string;
  failures: number;
  last_failed_at: number;
}

/** An SRP challenge already answered (its id), kept until it would have expired anyway. */
export interface AuthUsedChallengeRow {
  jti: string;
  expires_at: number;
}

/** A challenge's state kept beside its Session (migrations/019-auth-session-state.ts); `state` is sealed. */
export interface AuthSessionStateRow {
  jti: string;
  state: string;
  expires_at: number;
}

export interface SyncDatasetRow {
  pool_id: string;
  identity_id: string;
  name: string;
  /** DatasetSyncCount: bumped by every change (and by the deletion). */
  sync_count: number;
  num_records: number;
  /** Bytes of the live records' keys and values (UTF-8). */
  data_storage: number;
  last_modified_by: string | null;
  deleted: number;
  /** The sync count the dataset was last deleted at, if ever. */
  deleted_sync_count: number | null;
  created_at: number;
  updated_at: number;
}

export interface SyncRecordRow {
  pool_id: string;
  identity_id: string;
  dataset_name: string;
  key: string;
  /** null: a tombstone left by `remove`. */
  value: string | null;
  sync_count: number;
  last_modified_by: string | null;
  device_modified_at: number | null;
  updated_at: number;
}

export interface SyncPoolSettingsRow {
  pool_id: string;
  /** `{ PushSync, CognitoStreams }`, JSON. */
  configuration: string;
  /** Cognito Events `{ SyncTrigger: <lambda arn> }`, JSON. */
  events: string;
  /** `{ status, startedAt, completedAt, failure }`, JSON. */
  bulk_publish: string;
  updated_at: number;
}

export interface SyncDeviceRow {
  id: string;
  pool_id: string;
  identity_id: string;
  platform: string;
  token: string;
  created_at: number;
  /** The SNS platform endpoint made for the token (at the first push), and its application's ARN. */
  endpoint_arn?: string | null;
  endpoint_app?: string | null;
}

export interface SyncSubscriptionRow {
  pool_id: string;
  identity_id: string;
  dataset_name: string;
  device_id: string;
  created_at: number;
}

export interface IdentityPoolRow {
  /** `<region>:<uuid>` */
  id: string;
  name: string;
  /** The pool's settings (IdentityPool members less id, name and tags), JSON. */
  config: string;
  /** `{ Roles, RoleMappings }` as SetIdentityPoolRoles gave them, JSON. */
  roles: string;
  /** Provider name -> `{ UseDefaults, PrincipalTags }`, JSON. */
  principal_tags: string;
  created_at: number;
  updated_at: number;
}

export interface IdentityRow {
  /** `<region>:<uuid>` */
  id: string;
  pool_id: string;
  /** 1 until a login is first linked. */
  guest: number;
  enabled: number;
  /** The identity this one was merged into (then disabled). */
  merged_into: string | null;
  created_at: number;
  updated_at: number;
}

export interface IdentityLoginRow {
  pool_id: string;
  /** Canonical provider name (`cognito-idp.<region>.amazonaws.com/<poolId>`, the developer provider name, ...). */
  provider: string;
  /** The provider's subject: user pool `sub`, developer user identifier, ... */
  subject: string;
  identity_id: string;
  /** 1: one subject of this provider per identity. */
  exclusive: number;
  created_at: number;
}

export interface IdentityCredentialRow {
  access_key_id: string;
  identity_id: string;
  pool_id: string;
  role_arn: string;
  /** Sealed secret access key (purpose 'identity-credential'). */
  secret: string;
  /** Sealed session token (purpose 'identity-session-token'). */
  session_token: string;
  expires_at: number;
  created_at: number;
}

/** A pool's hosted-UI domain: a prefix (`<prefix>.auth.<region>...`) or a custom host name. */
export interface UserPoolDomainRow {
  domain: string;
  pool_id: string;
  kind: 'prefix' | 'custom';
  /** `{ ManagedLoginVersion, CustomDomainConfig }`, JSON. */
  config: string;
  created_at: number;
  updated_at: number;
}

export interface ResourceServerRow {
  pool_id: string;
  identifier: string;
  name: string;
  /** `[{ ScopeName, ScopeDescription }]`, JSON. */
  scopes: string;
  created_at: number;
  updated_at: number;
}

/** Classic hosted-UI customization of a pool (client_id 'ALL') or of one app client. */
export interface UiCustomizationRow {
  pool_id: string;
  client_id: string;
  /** Sanitized CSS, or null. */
  css: string | null;
  /** The logo, base64, or null. */
  image: string | null;
  /** Its media type (image/png, image/jpeg). */
  image_type: string | null;
  version: string;
  created_at: number;
  updated_at: number;
}

export interface ManagedLoginBrandingRow {
  id: string;
  pool_id: string;
  client_id: string;
  use_cognito_values: number;
  /** The Settings document as given, JSON, or null. */
  settings: string | null;
  /** `[{ Category, ColorMode, Extension, Bytes }]`, JSON. */
  assets: string;
  created_at: number;
  updated_at: number;
}

/** A hosted-UI session that /logout ended before its cookie expired. */
export interface HostedSessionEndedRow {
  sid: string;
  expires_at: number;
}

/** The last TOTP time step accepted for a user (migration 009). */
export interface TotpStepRow {
  user_id: string;
  last_step: number;
}

/** A remembered device (ConfirmDevice). */
export interface DeviceRow {
  /** DeviceKey, `<region>_<uuid>`. */
  key: string;
  pool_id: string;
  user_id: string;
  group_key: string;
  name: string | null;
  /** 1: remembered; 0: not_remembered. */
  remembered: number;
  /** Sealed `{ salt, verifier }` (hex) of the device's SRP secret (purpose 'device-verifier'). */
  verifier: string;
  created_at: number;
  updated_at: number;
  last_authenticated_at: number | null;
  last_ip: string | null;
}

/** A passkey. */
export interface WebAuthnCredentialRow {
  /** Credential id, base64url. */
  id: string;
  pool_id: string;
  user_id: string;
  rp_id: string;
  /** COSE public key, base64url. */
  public_key: string;
  sign_count: number;
  name: string;
  attachment: string | null;
  /** JSON array of transports. */
  transports: string;
  created_at: number;
}

/** A passkey registration begun (StartWebAuthnRegistration) and not completed. */
export interface WebAuthnChallengeRow {
  user_id: string;
  /** base64url. */
  challenge: string;
  rp_id: string;
  client_id: string;
  expires_at: number;
}

/** A user import job (CreateUserImportJob); counters grow as the runner commits batches. */
export interface UserImportJobRow {
  /** `import-<alphanumerics>` */
  id: string;
  pool_id: string;
  name: string;
  /** Created | Pending | InProgress | Stopping | Stopped | Failed | Succeeded (Expired is computed). */
  status: string;
  role_arn: string;
  /** PasswordHashingAlgorithm of the request, if any. */
  hashing_algorithm: string | null;
  /** The completed upload the job will read (user_import_chunks.upload_id), null before one. */
  upload_id: string | null;
  upload_bytes: number | null;
  imported: number;
  skipped: number;
  failed: number;
  completion_message: string | null;
  created_at: number;
  started_at: number | null;
  completed_at: number | null;
  /** Last sign of life of the process running the job. */
  heartbeat_at: number | null;
}

/** One piece (about 1 MiB) of an uploaded CSV file. */
export interface UserImportChunkRow {
  job_id: string;
  upload_id: string;
  seq: number;
  data: Buffer;
}

/** A CSV row that could not be imported, and why. */
export interface UserImportErrorRow {
  job_id: string;
  /** Line of the CSV file where the row starts (the header is line 1). */
  line: number;
  username: string | null;
  message: string;
}

/** One audit event (src/audit): who did what to which user, from where, with what outcome. */
export interface AuditEventRow {
  id: string;
  pool_id: string | null;
  client_id: string | null;
  user_id: string | null;
  username: string | null;
  /** SignIn, SignUp, ForgotPassword, PasswordChange, ResendCode, SignOut, MfaChange, DeleteUser, AdminAction, ... */
  type: string;
  /** Pass, Fail or InProgress. */
  outcome: string;
  source_ip: string | null;
  request_id: string | null;
  /** JSON: flow, challenge, reason, op, principal; never a secret. */
  detail: string | null;
  /** Valid or Invalid, once given (AdminUpdateAuthEventFeedback / UpdateAuthEventFeedback). */
  feedback: string | null;
  feedback_at: number | null;
  created_at: number;
}

/** An identity provider of a user pool (migration 012). */
export interface IdentityProviderRow {
  pool_id: string;
  name: string;
  /** 'OIDC' | 'SAML' | 'Google' | 'Facebook' | 'LoginWithAmazon' | 'SignInWithApple' */
  type: string;
  /** ProviderDetails, JSON; client_secret sealed (purpose 'idp-client-secret'). */
  details: string;
  /** AttributeMapping (pool attribute -> provider attribute), JSON. */
  attribute_mapping: string;
  created_at: number;
  updated_at: number;
}

/** One of a provider's IdpIdentifiers, unique per pool. */
export interface IdentityProviderIdentifierRow {
  pool_id: string;
  identifier: string;
  provider_name: string;
}

/** An external identity linked to a user of the pool. */
export interface FederatedLinkRow {
  pool_id: string;
  provider_name: string;
  provider_user_id: string;
  /** The user's id (sub). */
  user_id: string;
  created_at: number;
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
  identity_pools: IdentityPoolRow;
  identities: IdentityRow;
  identity_logins: IdentityLoginRow;
  identity_credentials: IdentityCredentialRow;
  auth_failures: AuthFailureRow;
  auth_used_challenges: AuthUsedChallengeRow;
  auth_session_state: AuthSessionStateRow;
  signing_keys: SigningKeyRow;
  token_families: TokenFamilyRow;
  token_sessions: TokenSessionRow;
  terms: TermsRow;
  risk_configurations: RiskConfigurationRow;
  sso_sessions: SsoSessionRow;
  refresh_tokens: RefreshTokenRow;
  sync_datasets: SyncDatasetRow;
  sync_records: SyncRecordRow;
  sync_pool_settings: SyncPoolSettingsRow;
  sync_devices: SyncDeviceRow;
  sync_subscriptions: SyncSubscriptionRow;
  user_pool_domains: UserPoolDomainRow;
  resource_servers: ResourceServerRow;
  ui_customizations: UiCustomizationRow;
  managed_login_brandings: ManagedLoginBrandingRow;
  hosted_sessions_ended: HostedSessionEndedRow;
  user_import_jobs: UserImportJobRow;
  user_import_chunks: UserImportChunkRow;
  user_import_errors: UserImportErrorRow;
  totp_steps: TotpStepRow;
  devices: DeviceRow;
  webauthn_credentials: WebAuthnCredentialRow;
  webauthn_challenges: WebAuthnChallengeRow;
  identity_providers: IdentityProviderRow;
  identity_provider_identifiers: IdentityProviderIdentifierRow;
  federated_links: FederatedLinkRow;
  audit_events: AuditEventRow;
}
