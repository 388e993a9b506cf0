// A pool's settings document from a CreateUserPool or UpdateUserPool request: Cognito's defaults
// filled in, and the checks Cognito makes on the combination of settings. UpdateUserPool is a full
// replacement: what it omits goes back to its default, except the members Cognito fixes at
// creation (schema, sign-in attributes, username case sensitivity), which are carried over.
import { InvalidParameterException } from '../errors.js';
import type {
  AdminCreateUserConfigType,
  CreateUserPoolRequest,
  PasswordPolicyType,
  UpdateUserPoolRequest,
  UserPoolPolicyType,
  VerificationMessageTemplateType,
} from '../models/idp-types.js';
import { buildSchema } from './custom-attributes.js';
import { checkLambdaConfig } from '../triggers/target.js';
import { MFA_ONLY_MEMBERS, checkFirstFactorsWithMfa } from './mfa-config.js';
import type { PoolSettings } from './pools.js';

/** The members UpdateUserPool cannot change. */
const CREATION_ONLY = ['SchemaAttributes', 'UsernameAttributes', 'AliasAttributes', 'UsernameConfiguration'] as const;
type CreationOnly = Pick<PoolSettings, (typeof CREATION_ONLY)[number]>;
/** What both CreateUserPool and UpdateUserPool may set. */
type MutableInput = Omit<UpdateUserPoolRequest, 'UserPoolId' | 'PoolName' | 'UserPoolTags'>;

const DEFAULT_TEMPORARY_PASSWORD_DAYS = 7;
const CODE = '{####}';
/** Cognito's stock verification messages. */
const DEFAULT_VERIFICATION: VerificationMessageTemplateType = {
  SmsMessage: `Your verification code is ${CODE}. `,
  EmailMessage: `Your verification code is ${CODE}. `,
  EmailSubject: 'Your verification code',
  EmailMessageByLink: 'Please click the link below to verify your email address. {##Verify Email##} ',
  EmailSubjectByLink: 'Your verification link',
  DefaultEmailOption: 'CONFIRM_WITH_CODE',
};

/** Settings of a new pool. */
export function createPoolSettings(input: CreateUserPoolRequest): PoolSettings {
  checkSignInAttributes(input);
  return {
    ...mutableSettings(input),
    SchemaAttributes: buildSchema(input.Schema),
    UsernameAttributes: input.UsernameAttributes,
    AliasAttributes: input.AliasAttributes,
    UsernameConfiguration: { CaseSensitive: input.UsernameConfiguration?.CaseSensitive ?? false },
  };
}

/** Settings after UpdateUserPool: the request's (with defaults) plus the creation-only members kept. */
export function replacePoolSettings(current: PoolSettings, input: UpdateUserPoolRequest): PoolSettings {
  const kept = Object.fromEntries(CREATION_ONLY.map((k) => [k, current[k]])) as CreationOnly;
  // UpdateUserPool has no members for these: SetUserPoolMfaConfig's own stay as they are.
  const mfaOnly = Object.fromEntries(MFA_ONLY_MEMBERS.map((k) => [k, current[k]]));
  // Nor for SetUserPoolSessionConfiguration's and SetLogDeliveryConfiguration's.
  const sessions = current.SessionConfiguration ? { SessionConfiguration: current.SessionConfiguration } : {};
  const logs = current.LogDeliveryConfiguration ? { LogDeliveryConfiguration: current.LogDeliveryConfiguration } : {};
  return { ...mutableSettings(input), ...mfaOnly, ...sessions, ...logs, ...kept };
}

function mutableSettings(input: MutableInput): PoolSettings {
  checkAttributeUpdateSettings(input);
  checkLambdaConfig(input.LambdaConfig);
  if (input.SmsAuthenticationMessage !== undefined) requireCode('SmsAuthenticationMessage', input.SmsAuthenticationMessage);
  const Policies = policiesFrom(input.Policies, input.AdminCreateUserConfig);
  checkFirstFactorsWithMfa({ MfaConfiguration: input.MfaConfiguration, Policies });
  return {
    Policies,
    DeletionProtection: input.DeletionProtection ?? 'INACTIVE',
    LambdaConfig: input.LambdaConfig,
    AutoVerifiedAttributes: input.AutoVerifiedAttributes,
    SmsVerificationMessage: input.SmsVerificationMessage,
    EmailVerificationMessage: input.EmailVerificationMessage,
    EmailVerificationSubject: input.EmailVerificationSubject,
    VerificationMessageTemplate: verificationTemplate(input),
    SmsAuthenticationMessage: input.SmsAuthenticationMessage,
    UserAttributeUpdateSettings: input.UserAttributeUpdateSettings,
    MfaConfiguration: input.MfaConfiguration ?? 'OFF',
    DeviceConfiguration: input.DeviceConfiguration,
    EmailConfiguration: input.EmailConfiguration,
    SmsConfiguration: input.SmsConfiguration,
    AdminCreateUserConfig: adminCreateUserConfig(input.AdminCreateUserConfig, input.Policies?.PasswordPolicy),
    UserPoolAddOns: input.UserPoolAddOns,
    AccountRecoverySetting: input.AccountRecoverySetting,
    UserPoolTier: input.UserPoolTier ?? 'ESSENTIALS',
    KeyConfiguration: input.KeyConfiguration,
    IssuerConfiguration: input.IssuerConfiguration,
  };
}

/** A pool signs in either by username attributes (e-mail/phone as username) or with aliases, not both. */
function checkSignInAttributes(input: CreateUserPoolRequest): void {
  if (input.UsernameAttributes?.length && input.AliasAttributes?.length) {
    throw new InvalidParameterException('Only one of AliasAttributes or UsernameAttributes can be set in a user pool.');
  }
}

/** Attributes kept unchanged until verified must be ones the pool verifies automatically. */
function checkAttributeUpdateSettings(input: MutableInput): void {
  const pending = input.UserAttributeUpdateSettings?.AttributesRequireVerificationBeforeUpdate ?? [];
  const verified = new Set<string>(input.AutoVerifiedAttributes ?? []);
  for (const a of pending) {
    if (!verified.has(a)) {
      throw new InvalidParameterException(
        `AttributesRequireVerificationBeforeUpdate lists ${a}, which is not in AutoVerifiedAttributes.`,
      );
    }
  }
}

/**
 * Password policy: with no PasswordPolicy at all, Cognito's default (8 characters, all four
 * character classes, temporary passwords valid 7 days). A given policy is taken as written:
 * requirements it leaves out are off, and the length defaults to 8.
 * The sign-in policy must keep PASSWORD among the first factors.
 */
function policiesFrom(policies: UserPoolPolicyType | undefined, admin: AdminCreateUserConfigType | undefined): UserPoolPolicyType {
  const given = policies?.PasswordPolicy;
  const passwordPolicy: PasswordPolicyType = given
    ? {
        MinimumLength: given.MinimumLength ?? 8,
        RequireUppercase: given.RequireUppercase ?? false,
        RequireLowercase: given.RequireLowercase ?? false,
        RequireNumbers: given.RequireNumbers ?? false,
        RequireSymbols: given.RequireSymbols ?? false,
        PasswordHistorySize: given.PasswordHistorySize,
        TemporaryPasswordValidityDays: temporaryPasswordDays(given, admin),
      }
    : {
        MinimumLength: 8,
        RequireUppercase: true,
        RequireLowercase: true,
        RequireNumbers: true,
        RequireSymbols: true,
        TemporaryPasswordValidityDays: temporaryPasswordDays(undefined, admin),
      };
  const min = passwordPolicy.MinimumLength!;
  if (!Number.isInteger(min) || min < 6 || min > 99) {
    throw new InvalidParameterException('PasswordPolicy.MinimumLength must be between 6 and 99.');
  }
  // (The generated list type reads `"A" | "B"[]`; the wire value is a list of strings.)
  const factors = (policies?.SignInPolicy?.AllowedFirstAuthFactors as unknown as string[] | undefined) ?? ['PASSWORD'];
  if (!factors.includes('PASSWORD')) {
    throw new InvalidParameterException('SignInPolicy.AllowedFirstAuthFactors must include PASSWORD.');
  }
  type Factors = NonNullable<UserPoolPolicyType['SignInPolicy']>['AllowedFirstAuthFactors'];
  return { PasswordPolicy: passwordPolicy, SignInPolicy: { AllowedFirstAuthFactors: factors as unknown as Factors } };
}

/**
 * TemporaryPasswordValidityDays replaced the older AdminCreateUserConfig.UnusedAccountValidityDays:
 * either may be given; both with different values is refused.
 */
function temporaryPasswordDays(policy: PasswordPolicyType | undefined, admin: AdminCreateUserConfigType | undefined): number {
  const days = policy?.TemporaryPasswordValidityDays;
  const legacy = admin?.UnusedAccountValidityDays;
  if (days !== undefined && legacy !== undefined && days !== legacy) {
    throw new InvalidParameterException(
      'Use PasswordPolicy.TemporaryPasswordValidityDays instead of AdminCreateUserConfig.UnusedAccountValidityDays; the two differ.',
    );
  }
  return days ?? legacy ?? DEFAULT_TEMPORARY_PASSWORD_DAYS;
}

/** Invitations: sign-up open to users by default; a custom invitation must carry {username} and {####}. */
function adminCreateUserConfig(admin: AdminCreateUserConfigType | undefined, policy: PasswordPolicyType | undefined): AdminCreateUserConfigType {
  const invite = admin?.InviteMessageTemplate;
  if (invite?.EmailMessage !== undefined) requireInvitePlaceholders('InviteMessageTemplate.EmailMessage', invite.EmailMessage);
  if (invite?.SMSMessage !== undefined) requireInvitePlaceholders('InviteMessageTemplate.SMSMessage', invite.SMSMessage);
  return {
    AllowAdminCreateUserOnly: admin?.AllowAdminCreateUserOnly ?? false,
    UnusedAccountValidityDays: temporaryPasswordDays(policy, admin),
    InviteMessageTemplate: invite,
  };
}

/**
 * Verification messages: the template's members win, then the older top-level members
 * (SmsVerificationMessage, EmailVerificationMessage, EmailVerificationSubject), then Cognito's stock
 * text. Code messages must contain {####}; link messages a {##link text##} placeholder.
 */
function verificationTemplate(input: MutableInput): VerificationMessageTemplateType {
  const t = input.VerificationMessageTemplate ?? {};
  const out: VerificationMessageTemplateType = {
    SmsMessage: t.SmsMessage ?? input.SmsVerificationMessage ?? DEFAULT_VERIFICATION.SmsMessage,
    EmailMessage: t.EmailMessage ?? input.EmailVerificationMessage ?? DEFAULT_VERIFICATION.EmailMessage,
    EmailSubject: t.EmailSubject ?? input.EmailVerificationSubject ?? DEFAULT_VERIFICATION.EmailSubject,
    EmailMessageByLink: t.EmailMessageByLink ?? DEFAULT_VERIFICATION.EmailMessageByLink,
    EmailSubjectByLink: t.EmailSubjectByLink ?? DEFAULT_VERIFICATION.EmailSubjectByLink,
    DefaultEmailOption: t.DefaultEmailOption ?? DEFAULT_VERIFICATION.DefaultEmailOption,
  };
  requireCode('VerificationMessageTemplate.SmsMessage', out.SmsMessage!);
  requireCode('VerificationMessageTemplate.EmailMessage', out.EmailMessage!);
  if (!/\{##[^#]+##\}/.test(out.EmailMessageByLink!)) {
    throw new InvalidParameterException('VerificationMessageTemplate.EmailMessageByLink must contain a {##link text##} placeholder.');
  }
  return out;
}

function requireCode(member: string, message: string): void {
  if (!message.includes(CODE)) throw new InvalidParameterException(`${member} must contain the placeholder ${CODE}.`);
}

function requireInvitePlaceholders(member: string, message: string): void {
  if (!message.includes('{username}') || !message.includes(CODE)) {
    throw new InvalidParameterException(`${member} must contain the placeholders {username} and ${CODE}.`);
  }
}
