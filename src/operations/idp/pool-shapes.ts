// Wire shapes of pools and app clients, shared by the operations that return them.
import type { App } from '../../app.js';
import type { ClientSecretDescriptorType, UserPoolClientType, UserPoolType } from '../../models/idp-types.js';
import type { AppClient, ClientSecret, UserPool } from '../../userpools/pools.js';

/** UserPoolType as DescribeUserPool / CreateUserPool return it: settings plus what is computed on read. */
export async function toUserPoolType(app: App, pool: UserPool): Promise<UserPoolType> {
  const domains = await app.oauth.domains.ofPoolAll(pool.id);
  // GetUserPoolMfaConfig's members are not UserPoolType's, nor are the session and log settings.
  const {
    SmsMfaConfiguration: _s,
    SoftwareTokenMfaConfiguration: _t,
    EmailMfaConfiguration: _e,
    WebAuthnConfiguration: _w,
    SessionConfiguration: _c,
    LogDeliveryConfiguration: _l,
    ...settings
  } = pool.settings;
  return {
    ...settings,
    Id: pool.id,
    Name: pool.name,
    Arn: pool.arn,
    CreationDate: pool.createdAt / 1000,
    LastModifiedDate: pool.updatedAt / 1000,
    EstimatedNumberOfUsers: await app.store.users.count(pool.id),
    UserPoolTags: await app.store.tags.list(pool.arn),
    ...(domains.prefix ? { Domain: domains.prefix.domain } : {}),
    ...(domains.custom ? { CustomDomain: domains.custom.domain } : {}),
  };
}

/** UserPoolClientType: the secret only for clients that have one. */
export function toClientType(client: AppClient): UserPoolClientType {
  // GetUserPoolClientSessionConfiguration's member is not UserPoolClientType's.
  const { SSOSession: _sso, ...settings } = client.settings;
  return {
    UserPoolId: client.poolId,
    ClientName: client.name,
    ClientId: client.id,
    ...(client.secret !== undefined ? { ClientSecret: client.secret } : {}),
    LastModifiedDate: client.updatedAt / 1000,
    CreationDate: client.createdAt / 1000,
    ...settings,
  };
}

/** A client secret's descriptor; its value only where asked (a secret Tessera just generated). */
export function toSecretDescriptor(s: ClientSecret, withValue: boolean): ClientSecretDescriptorType {
  return { ClientSecretId: s.id, ...(withValue ? { ClientSecretValue: s.value } : {}), ClientSecretCreateDate: s.createdAt / 1000 };
}
