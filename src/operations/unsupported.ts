// The operations of the three AWS models that Tessera does not implement, each with the reason.
// This is the one list: the server answers them with UnsupportedOperationException naming the
// operation, the README's compatibility table is generated from it (`npm run gen:readme`), and
// test/drift/coverage.test.ts checks that every model operation is either implemented (a file in
// src/operations/<service>/) or listed here, never both.
//
// Implementing an operation: add src/operations/<service>/<Operation>.ts, delete its line below,
// run `npm run gen:readme`.
import type { ServiceId } from './operation.js';

// Reasons, shown to clients in the error message and in the README.
const POOLS = 'not yet: user pool and app client administration is being built';
const CUSTOM_ATTRIBUTES = 'not yet: adding custom attributes to an existing pool';
const SAML = 'not yet: comes with SAML federation';
const LIMITS = 'not yet: Tessera has no provisioned quotas to read or change';
const REPLICAS = 'not yet: multi-region replicas (one Tessera deployment serves one region)';
const SESSIONS = 'not yet: session tracking APIs (newer than the botocore model)';
const SECRET_ROTATION = 'not yet: several secrets per app client';
const HOSTED_UI = 'not yet: comes with the hosted UI and OAuth endpoints';
const BRANDING = 'not yet: managed login branding';
const USERS = 'not yet: user administration and self-service are being built';
const SIGN_IN = 'not yet: sign-in flows and tokens are being built';
const CLIENT_CREDENTIALS = 'not yet: comes with the client-credentials grant';
const MFA = 'not yet: multi-factor authentication';
const DEVICES = 'not yet: remembered devices';
const GROUPS = 'not yet: groups are being built';
const FEDERATION = 'not yet: federation with OIDC, SAML and social identity providers';
const RESOURCE_SERVERS = 'not yet: resource servers and custom scopes';
const IMPORT = 'not yet: user import jobs';
const THREAT_PROTECTION = 'not yet: threat protection (risk configuration and auth events)';
const TAGS = 'not yet: resource tags';
const LOG_DELIVERY = 'not yet: Tessera writes its logs to standard output only';
const TERMS = 'not yet: terms documents for managed login';
const PASSKEYS = 'not yet: passkeys (WebAuthn)';
const IDENTITY_POOLS = 'not yet: identity pools';
const IDENTITY_CREDENTIALS = 'not yet: identity pool identities and credentials';
const DEVELOPER_IDENTITIES = 'not yet: developer-authenticated identities';

/** `<service>/<Operation>` -> why Tessera does not implement it. */
export const unsupported: Readonly<Record<string, string>> = {
  // idp
  'idp/AddCustomAttributes': CUSTOM_ATTRIBUTES,
  'idp/AddUserPoolClientSecret': SECRET_ROTATION,
  'idp/AdminAddUserToGroup': GROUPS,
  'idp/AdminConfirmSignUp': USERS,
  'idp/AdminCreateUser': USERS,
  'idp/AdminDeleteSoftwareToken': MFA,
  'idp/AdminDeleteUser': USERS,
  'idp/AdminDeleteUserAttributes': USERS,
  'idp/AdminDisableProviderForUser': FEDERATION,
  'idp/AdminDisableUser': USERS,
  'idp/AdminEnableUser': USERS,
  'idp/AdminForgetDevice': DEVICES,
  'idp/AdminGetDevice': DEVICES,
  'idp/AdminGetUser': USERS,
  'idp/AdminGetUserAuthFactors': SIGN_IN,
  'idp/AdminLinkProviderForUser': FEDERATION,
  'idp/AdminListDevices': DEVICES,
  'idp/AdminListGroupsForUser': GROUPS,
  'idp/AdminListUserAuthEvents': THREAT_PROTECTION,
  'idp/AdminListUserSessions': SESSIONS,
  'idp/AdminRemoveUserFromGroup': GROUPS,
  'idp/AdminResetUserPassword': USERS,
  'idp/AdminRevokeUserSession': SESSIONS,
  'idp/AdminSetUserMFAPreference': MFA,
  'idp/AdminSetUserPassword': USERS,
  'idp/AdminSetUserSettings': MFA,
  'idp/AdminUpdateAuthEventFeedback': THREAT_PROTECTION,
  'idp/AdminUpdateDeviceStatus': DEVICES,
  'idp/AdminUpdateUserAttributes': USERS,
  'idp/AdminUserGlobalSignOut': USERS,
  'idp/AssociateSoftwareToken': MFA,
  'idp/ChangePassword': USERS,
  'idp/CompleteWebAuthnRegistration': PASSKEYS,
  'idp/ConfirmDevice': DEVICES,
  'idp/ConfirmForgotPassword': USERS,
  'idp/ConfirmSignUp': USERS,
  'idp/CreateGroup': GROUPS,
  'idp/CreateIdentityProvider': FEDERATION,
  'idp/CreateManagedLoginBranding': BRANDING,
  'idp/CreateResourceServer': RESOURCE_SERVERS,
  'idp/CreateTerms': TERMS,
  'idp/CreateUserImportJob': IMPORT,
  'idp/CreateUserPool': POOLS,
  'idp/CreateUserPoolClient': POOLS,
  'idp/CreateUserPoolDomain': HOSTED_UI,
  'idp/CreateUserPoolReplica': REPLICAS,
  'idp/DeleteGroup': GROUPS,
  'idp/DeleteIdentityProvider': FEDERATION,
  'idp/DeleteManagedLoginBranding': BRANDING,
  'idp/DeleteResourceServer': RESOURCE_SERVERS,
  'idp/DeleteTerms': TERMS,
  'idp/DeleteUser': USERS,
  'idp/DeleteUserAttributes': USERS,
  'idp/DeleteUserPool': POOLS,
  'idp/DeleteUserPoolClient': POOLS,
  'idp/DeleteUserPoolClientSecret': SECRET_ROTATION,
  'idp/DeleteUserPoolDomain': HOSTED_UI,
  'idp/DeleteUserPoolReplica': REPLICAS,
  'idp/DeleteWebAuthnCredential': PASSKEYS,
  'idp/DescribeIdentityProvider': FEDERATION,
  'idp/DescribeManagedLoginBranding': BRANDING,
  'idp/DescribeManagedLoginBrandingByClient': BRANDING,
  'idp/DescribeResourceServer': RESOURCE_SERVERS,
  'idp/DescribeRiskConfiguration': THREAT_PROTECTION,
  'idp/DescribeTerms': TERMS,
  'idp/DescribeTermsByClient': TERMS,
  'idp/DescribeUserImportJob': IMPORT,
  'idp/DescribeUserPoolClient': POOLS,
  'idp/DescribeUserPoolDomain': HOSTED_UI,
  'idp/ForgetDevice': DEVICES,
  'idp/ForgotPassword': USERS,
  'idp/GetCSVHeader': IMPORT,
  'idp/GetClientToken': CLIENT_CREDENTIALS,
  'idp/GetDevice': DEVICES,
  'idp/GetGroup': GROUPS,
  'idp/GetIdentityProviderByIdentifier': FEDERATION,
  'idp/GetLogDeliveryConfiguration': LOG_DELIVERY,
  'idp/GetProvisionedLimit': LIMITS,
  'idp/GetSigningCertificate': SAML,
  'idp/GetTokensFromRefreshToken': SIGN_IN,
  'idp/GetUICustomization': HOSTED_UI,
  'idp/GetUser': USERS,
  'idp/GetUserAttributeVerificationCode': USERS,
  'idp/GetUserAuthFactors': SIGN_IN,
  'idp/GetUserPoolClientSessionConfiguration': SESSIONS,
  'idp/GetUserPoolMfaConfig': MFA,
  'idp/GetUserPoolSessionConfiguration': SESSIONS,
  'idp/GlobalSignOut': SIGN_IN,
  'idp/ListDevices': DEVICES,
  'idp/ListGroups': GROUPS,
  'idp/ListIdentityProviders': FEDERATION,
  'idp/ListResourceServers': RESOURCE_SERVERS,
  'idp/ListTagsForResource': TAGS,
  'idp/ListTerms': TERMS,
  'idp/ListUserImportJobs': IMPORT,
  'idp/ListUserPoolClientSecrets': SECRET_ROTATION,
  'idp/ListUserPoolClients': POOLS,
  'idp/ListUserPoolReplicas': REPLICAS,
  'idp/ListUserPools': POOLS,
  'idp/ListUserSessions': SESSIONS,
  'idp/ListUsers': USERS,
  'idp/ListUsersInGroup': GROUPS,
  'idp/ListWebAuthnCredentials': PASSKEYS,
  'idp/ResendConfirmationCode': USERS,
  'idp/RevokeToken': SIGN_IN,
  'idp/RevokeUserSession': SESSIONS,
  'idp/SetLogDeliveryConfiguration': LOG_DELIVERY,
  'idp/SetRiskConfiguration': THREAT_PROTECTION,
  'idp/SetUICustomization': HOSTED_UI,
  'idp/SetUserMFAPreference': MFA,
  'idp/SetUserPoolClientSessionConfiguration': SESSIONS,
  'idp/SetUserPoolMfaConfig': MFA,
  'idp/SetUserPoolSessionConfiguration': SESSIONS,
  'idp/SetUserSettings': MFA,
  'idp/SignUp': USERS,
  'idp/StartUserImportJob': IMPORT,
  'idp/StartWebAuthnRegistration': PASSKEYS,
  'idp/StopUserImportJob': IMPORT,
  'idp/TagResource': TAGS,
  'idp/UntagResource': TAGS,
  'idp/UpdateAuthEventFeedback': THREAT_PROTECTION,
  'idp/UpdateDeviceStatus': DEVICES,
  'idp/UpdateGroup': GROUPS,
  'idp/UpdateIdentityProvider': FEDERATION,
  'idp/UpdateManagedLoginBranding': BRANDING,
  'idp/UpdateProvisionedLimit': LIMITS,
  'idp/UpdateResourceServer': RESOURCE_SERVERS,
  'idp/UpdateTerms': TERMS,
  'idp/UpdateUserAttributes': USERS,
  'idp/UpdateUserPool': POOLS,
  'idp/UpdateUserPoolClient': POOLS,
  'idp/UpdateUserPoolDomain': HOSTED_UI,
  'idp/UpdateUserPoolReplica': REPLICAS,
  'idp/VerifySoftwareToken': MFA,
  'idp/VerifyUserAttribute': USERS,
  // identity
  'identity/CreateIdentityPool': IDENTITY_POOLS,
  'identity/DeleteIdentities': IDENTITY_POOLS,
  'identity/DeleteIdentityPool': IDENTITY_POOLS,
  'identity/DescribeIdentity': IDENTITY_POOLS,
  'identity/DescribeIdentityPool': IDENTITY_POOLS,
  'identity/GetCredentialsForIdentity': IDENTITY_CREDENTIALS,
  'identity/GetId': IDENTITY_CREDENTIALS,
  'identity/GetIdentityPoolRoles': IDENTITY_POOLS,
  'identity/GetOpenIdToken': IDENTITY_CREDENTIALS,
  'identity/GetOpenIdTokenForDeveloperIdentity': DEVELOPER_IDENTITIES,
  'identity/GetPrincipalTagAttributeMap': IDENTITY_POOLS,
  'identity/ListIdentities': IDENTITY_POOLS,
  'identity/ListIdentityPools': IDENTITY_POOLS,
  'identity/ListTagsForResource': TAGS,
  'identity/LookupDeveloperIdentity': DEVELOPER_IDENTITIES,
  'identity/MergeDeveloperIdentities': DEVELOPER_IDENTITIES,
  'identity/SetIdentityPoolRoles': IDENTITY_POOLS,
  'identity/SetPrincipalTagAttributeMap': IDENTITY_POOLS,
  'identity/TagResource': TAGS,
  'identity/UnlinkDeveloperIdentity': DEVELOPER_IDENTITIES,
  'identity/UnlinkIdentity': IDENTITY_CREDENTIALS,
  'identity/UntagResource': TAGS,
  'identity/UpdateIdentityPool': IDENTITY_POOLS,
  // sync
};

/** The reason an operation of the model is not implemented, if it is listed. */
export function unsupportedReason(service: ServiceId, operation: string): string | undefined {
  const key = `${service}/${operation}`;
  return Object.hasOwn(unsupported, key) ? unsupported[key] : undefined;
}
