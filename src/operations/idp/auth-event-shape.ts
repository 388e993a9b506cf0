// An audit event as Cognito's AuthEventType. Only the event types the model names are listed as
// auth events; Tessera's further types (SignOut, MfaChange, AdminAction, ...) stay in the audit
// trail and the console. Risk is not scored: every event reads NoRisk / Low.
import type { StoredAuditEvent } from '../../audit/audit.js';
import { epochSeconds } from '../../clock.js';
import type { AuthEventType, ChallengeResponseType } from '../../models/idp-types.js';

export const AUTH_EVENT_TYPES = ['SignIn', 'SignUp', 'ForgotPassword', 'PasswordChange', 'ResendCode'] as const;

export function toAuthEventType(e: StoredAuditEvent): AuthEventType {
  const challenges: ChallengeResponseType[] = [];
  const factor = e.detail?.factor;
  if (factor === 'Password' || factor === 'Mfa') {
    challenges.push({ ChallengeName: factor, ChallengeResponse: e.outcome === 'Fail' ? 'Failure' : 'Success' });
  }
  return {
    EventId: e.id,
    EventType: e.type as AuthEventType['EventType'],
    CreationDate: epochSeconds(e.createdAt),
    EventResponse: e.outcome,
    EventRisk: { RiskDecision: 'NoRisk', RiskLevel: 'Low', CompromisedCredentialsDetected: false },
    ChallengeResponses: challenges,
    EventContextData: e.sourceIp ? { IpAddress: e.sourceIp } : {},
    ...(e.feedback ? { EventFeedback: { FeedbackValue: e.feedback.value, Provider: 'Tessera', FeedbackDate: epochSeconds(e.feedback.at) } } : {}),
  };
}
