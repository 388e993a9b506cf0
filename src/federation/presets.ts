// What each ProviderType asks for in ProviderDetails and what Cognito fills in itself (the social
// providers' endpoints, as DescribeIdentityProvider shows them). Keys of `secret` are sealed at
// rest and given back in the clear by DescribeIdentityProvider, as Cognito does.
//
// Source: Cognito developer guide, "CreateIdentityProvider" ProviderDetails per type.

export type ProviderType = 'SAML' | 'Facebook' | 'Google' | 'LoginWithAmazon' | 'SignInWithApple' | 'OIDC';

export interface Preset {
  required: string[];
  optional: string[];
  /** Filled in by Tessera (overriding what the caller gave). */
  fixed: Record<string, string>;
  /** Defaults the caller may override. */
  defaults?: Record<string, string>;
  /** Keys sealed at rest. */
  secret: string[];
}

/**
 * Tessera's own ProviderDetails key (OIDC and social providers): "true" links a first federated
 * sign-in to the native user with the same verified e-mail, when the provider says the e-mail is
 * verified too. Cognito has no such option; README documents it.
 */
export const AUTO_LINK_KEY = 'tessera_auto_link_verified_email';


export const PRESETS: Record<ProviderType, Preset> = {
  OIDC: {
    required: ['client_id', 'authorize_scopes', 'oidc_issuer', 'attributes_request_method'],
    optional: ['client_secret', 'authorize_url', 'token_url', 'attributes_url', 'jwks_uri', 'attributes_url_add_attributes', AUTO_LINK_KEY],
    fixed: {},
    defaults: { attributes_url_add_attributes: 'false' },
    secret: ['client_secret'],
  },
  Google: {
    required: ['client_id', 'client_secret', 'authorize_scopes'],
    optional: [AUTO_LINK_KEY],
    fixed: {
      authorize_url: 'https://accounts.google.com/o/oauth2/v2/auth',
      token_url: 'https://www.googleapis.com/oauth2/v4/token',
      token_request_method: 'POST',
      oidc_issuer: 'https://accounts.google.com',
      attributes_url: 'https://people.googleapis.com/v1/people/me?personFields=',
      attributes_url_add_attributes: 'true',
    },
    secret: ['client_secret'],
  },
  Facebook: {
    required: ['client_id', 'client_secret', 'authorize_scopes'],
    optional: ['api_version', AUTO_LINK_KEY],
    fixed: {
      authorize_url: 'https://www.facebook.com/v17.0/dialog/oauth',
      token_url: 'https://graph.facebook.com/v17.0/oauth/access_token',
      token_request_method: 'GET',
      attributes_url: 'https://graph.facebook.com/v17.0/me?fields=',
      attributes_url_add_attributes: 'true',
    },
    secret: ['client_secret'],
  },
  LoginWithAmazon: {
    required: ['client_id', 'client_secret', 'authorize_scopes'],
    optional: [AUTO_LINK_KEY],
    fixed: {
      authorize_url: 'https://www.amazon.com/ap/oa',
      token_url: 'https://api.amazon.com/auth/o2/token',
      token_request_method: 'POST',
      attributes_url: 'https://api.amazon.com/user/profile',
      attributes_url_add_attributes: 'false',
    },
    secret: ['client_secret'],
  },
  SignInWithApple: {
    required: ['client_id', 'team_id', 'key_id', 'private_key', 'authorize_scopes'],
    optional: [AUTO_LINK_KEY],
    fixed: {
      authorize_url: 'https://appleid.apple.com/auth/authorize',
      token_url: 'https://appleid.apple.com/auth/token',
      token_request_method: 'POST',
      oidc_issuer: 'https://appleid.apple.com',
    },
    secret: ['private_key'],
  },
  SAML: {
    required: [],
    // The last three are Tessera's reading of the metadata (as Describe shows them); given, they are replaced.
    optional: ['MetadataURL', 'MetadataFile', 'IDPSignout', 'IDPInit', 'EncryptedResponses', 'RequestSigningAlgorithm', 'SSORedirectBindingURI', 'SLORedirectBindingURI', 'ActiveEncryptionCertificate'],
    fixed: {},
    defaults: { IDPSignout: 'false', IDPInit: 'false', EncryptedResponses: 'false' },
    secret: [],
  },
};

/** The provider types whose name must equal the type. */
export const SOCIAL: ReadonlySet<string> = new Set(['Google', 'Facebook', 'LoginWithAmazon', 'SignInWithApple']);

