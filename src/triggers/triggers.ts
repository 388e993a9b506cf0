// app.triggers: the Lambda triggers of user pools (shared/spec/triggers.md). The domain calls one
// method per trigger at its hook point; each method is a no-op when the pool has no such trigger.
// The event shapes and response rules live in one file per trigger source; invoke.ts carries an
// event to its target (invoke-lambda.ts / invoke-webhook.ts) and maps failures to Cognito's errors.
//
// Hook points:
//   PreSignUp              userpools/registration.ts  signUp, adminCreateUser (before the insert);
//                          federation/federated-user.ts  a federated user's first sign-in
//   PostConfirmation       userpools/registration.ts  confirmSignUp, adminConfirmSignUp (after commit);
//                          federation/routes.ts       a federated user's first sign-in
//   CustomMessage          messaging/messages.ts      Messages.composer (app.ts plugs it in)
//   Custom*Sender          messaging/messages.ts      Messages.customSender (app.ts plugs it in)
//   PreTokenGeneration     tokens/tokens.ts           before signing, on sign-in and refresh
//   PreAuthentication      auth/srp.ts, auth/password.ts, custom-auth.ts (user resolved, proof not checked);
//                          federation/routes.ts       a federated user's later sign-ins
//   UserMigration          auth/password.ts (unknown user, password sign-in)
//   Define/Create/Verify   auth/flows.ts CUSTOM_AUTH and CUSTOM_CHALLENGE (custom-auth.ts), auth/srp.ts
//   InboundFederation      federation/federated-user.ts  every federated sign-in, before the user is written
//   PostAuthentication     tokens/tokens.ts           with PreTokenGeneration, on sign-ins (not refresh,
//                                                     not a federated user's first)
import type { Logger } from 'pino';
import type { Clock } from '../clock.js';
import type { Config } from '../config/index.js';
import type { Sealer } from '../crypto/sealed.js';
import type { AuthStep, FlowContext } from '../auth/types.js';
import type { ComposedMessage, DeliveryMedium, MessageComposer, MessageContext } from '../messaging/messages.js';
import type { Store } from '../store/store.js';
import type { UserPool } from '../userpools/pools.js';
import type { User } from '../userpools/user.js';
import type { Users } from '../userpools/users.js';
import { afterPasswordVerifier, answerCustomChallenge, startCustomAuth } from './custom-auth.js';
import { composeCustomMessage } from './custom-message.js';
import { sendThroughCustomSender } from './custom-sender.js';
import { KmsCodeEncryptor, senderKeyOf } from './sender-code.js';
import { runInboundFederation, type InboundFederationInput } from './inbound-federation.js';
import { DEFAULT_LIMITS, TriggerRunner, type TriggerLimits } from './invoke.js';
import { LambdaInvoker } from './invoke-lambda.js';
import { WebhookInvoker } from './invoke-webhook.js';
import { runPostAuthentication } from './post-authentication.js';
import { runPostConfirmation, type PostConfirmationInput } from './post-confirmation.js';
import { runPreAuthentication } from './pre-authentication.js';
import { applyPreSignUp, runPreSignUp, type PreSignUpInput } from './pre-sign-up.js';
import { customizeTokenClaims, type TokenClaims, type TokenClaimsInput } from './pre-token-generation.js';
import type { TriggerName } from './target.js';
import { runUserMigration, type MigrationInput } from './user-migration.js';
import { WebhookSecrets } from './webhook-secret.js';

/** Token issues that are not sign-ins: no PostAuthentication. */
const NOT_SIGN_INS = new Set(['TokenGeneration_RefreshTokens', 'TokenGeneration_ClientCredentials']);

export interface TriggerDeps {
  config: Config;
  store: Store;
  sealer: Sealer;
  clock: Clock;
  log: Logger;
}

export class Triggers {
  /** Per-attempt timeout and attempts (5 s, 3); tests shorten the timeout. */
  readonly limits: TriggerLimits = { ...DEFAULT_LIMITS };
  readonly webhookSecrets: WebhookSecrets;
  readonly runner: TriggerRunner;
  private readonly lambda: LambdaInvoker;
  private readonly senderEncryption: { key?: Buffer; kms: KmsCodeEncryptor };

  constructor(private readonly deps: TriggerDeps) {
    this.webhookSecrets = new WebhookSecrets(deps);
    this.senderEncryption = { key: senderKeyOf(deps.config.customSenderKey), kms: new KmsCodeEncryptor({ endpoint: deps.config.kmsEndpoint, region: deps.config.region }) };
    this.lambda = new LambdaInvoker({ region: deps.config.region, endpoint: deps.config.lambdaEndpoint });
    const webhook = new WebhookInvoker({
      secretOf: (poolId) => this.webhookSecrets.get(poolId),
      nowSeconds: () => Math.floor(deps.clock.now() / 1000),
    });
    this.runner = new TriggerRunner({ lambda: this.lambda, webhook, log: deps.log, limits: this.limits });
  }

  has(pool: UserPool, name: TriggerName): boolean {
    return this.runner.has(pool, name);
  }

  /**
   * PreSignUp: asks the function and applies its answer to the user about to be stored.
   * Returns whether the user is now CONFIRMED (autoConfirmUser on SignUp).
   * @example const confirmed = await app.triggers.preSignUp({ pool, source: 'SignUp', user, clientId })
   */
  async preSignUp(a: PreSignUpInput): Promise<boolean> {
    return applyPreSignUp(a.user, await runPreSignUp(this.runner, a), a.source);
  }

  postConfirmation(a: PostConfirmationInput): Promise<void> {
    return runPostConfirmation(this.runner, a);
  }

  /** Messages.composer: the CustomMessage function's texts, else `fallback` (the pool's templates). */
  composeMessage(ctx: MessageContext, fallback: MessageComposer): Promise<ComposedMessage> {
    return composeCustomMessage(this.runner, ctx, fallback);
  }

  /** Messages.customSender: true when the pool's custom sender took the message (custom-sender.ts). */
  async customSend(ctx: MessageContext, medium: DeliveryMedium): Promise<boolean> {
    return sendThroughCustomSender(this.runner, this.deps.log, this.senderEncryption, ctx, medium);
  }

  /**
   * The tokens' claims hook (tokens.ts), run before anything of the tokens is written: on a
   * sign-in, PostAuthentication first (it may refuse the tokens; not on a federated user's first
   * sign-in, which ran PostConfirmation instead); then PreTokenGeneration.
   */
  async customizeTokens(a: TokenClaimsInput): Promise<TokenClaims> {
    if (a.session && !NOT_SIGN_INS.has(a.source) && a.postAuthentication !== false) {
      await runPostAuthentication(this.runner, { pool: a.pool, clientId: a.clientId, user: a.session.user, clientMetadata: a.clientMetadata, newDeviceUsed: a.newDeviceUsed === true });
    }
    return customizeTokenClaims(this.runner, this.deps.log, a);
  }

  /** InboundFederation: the attributes a federated sign-in writes, when the function decides them. */
  inboundFederation(a: InboundFederationInput): Promise<Record<string, string> | undefined> {
    return runInboundFederation(this.runner, a);
  }

  /** PreAuthentication: may refuse the attempt (user undefined: unknown, existence hidden). */
  preAuthentication(ctx: FlowContext, user: User | undefined, typed: string): Promise<void> {
    return runPreAuthentication(this.runner, ctx, user, typed);
  }

  /**
   * UserMigration: the user an unknown name designates in the old directory, now stored here;
   * undefined when the pool has no such trigger or the function knows nobody by that name.
   * @example const user = await app.triggers.migrateUser(app.users, { pool, clientId, source: 'Authentication', typed, password })
   */
  migrateUser(users: Users, a: MigrationInput): Promise<User | undefined> {
    return runUserMigration(this.runner, users, a);
  }

  /** InitiateAuth CUSTOM_AUTH (custom-auth.ts). */
  startCustomAuth(ctx: FlowContext, params: Record<string, string>): Promise<AuthStep> {
    return startCustomAuth(this.runner, ctx, params);
  }

  /** RespondToAuthChallenge CUSTOM_CHALLENGE (custom-auth.ts). */
  answerCustomChallenge(ctx: FlowContext, responses: Record<string, string>, session?: string): Promise<AuthStep> {
    return answerCustomChallenge(this.runner, ctx, responses, session);
  }

  /** The PASSWORD_VERIFIER step of CUSTOM_AUTH with SRP first, answered: back to DefineAuthChallenge. */
  afterCustomPasswordVerifier(ctx: FlowContext, user: User | undefined, typed: string, proven: boolean, deviceKey?: string): Promise<AuthStep> {
    return afterPasswordVerifier(this.runner, ctx, user, typed, proven, deviceKey);
  }

  close(): void {
    this.lambda.close();
  }
}
