// The hosted UI's words, by stable id (kratos-style): pages and tests refer to ids, never to
// English text. English is complete; every other language falls back to English per id.
// Language: `lang` on the request, else the best match of Accept-Language, else English.
export type Lang = 'en' | 'de';
export const LANGUAGES: readonly Lang[] = ['en', 'de'];

const en = {
  'page.signIn.title': 'Sign in',
  'page.signIn.heading': 'Sign in with your username and password',
  'page.signUp.title': 'Sign up',
  'page.signUp.heading': 'Create an account',
  'page.confirm.title': 'Confirm your account',
  'page.confirm.heading': 'Enter the code we sent you',
  'page.forgot.title': 'Forgot your password?',
  'page.forgot.heading': 'Enter your username and we will send you a code to reset your password.',
  'page.reset.title': 'Reset your password',
  'page.reset.heading': 'Enter the code we sent you and choose a new password.',
  'page.newPassword.title': 'Change password',
  'page.newPassword.heading': 'Please choose a new password to continue.',
  'page.error.title': 'Something went wrong',
  'page.signedOut.title': 'Signed out',
  'page.signedOut.heading': 'You have been signed out.',
  'field.username': 'Username',
  'field.usernameOrEmail': 'Username, e-mail or phone number',
  'field.email': 'E-mail',
  'field.phone': 'Phone number',
  'field.password': 'Password',
  'field.newPassword': 'New password',
  'field.confirmPassword': 'Repeat the new password',
  'field.code': 'Verification code',
  'action.signIn': 'Sign in',
  'action.signUp': 'Sign up',
  'action.confirm': 'Confirm account',
  'action.sendCode': 'Send code',
  'action.resendCode': 'Send a new code',
  'action.resetPassword': 'Reset password',
  'action.changePassword': 'Change password',
  'action.signInAgain': 'Sign in again',
  'link.forgotPassword': 'Forgot your password?',
  'link.signUp': 'Need an account? Sign up',
  'link.signIn': 'Already have an account? Sign in',
  'link.backToSignIn': 'Back to sign in',
  'text.codeSent': 'We have sent a code to {destination}.',
  'text.or': 'or',
  'text.signInWith': 'Sign in with {provider}',
  'error.incorrectCredentials': 'Incorrect username or password.',
  'error.userNotFound': 'User does not exist.',
  'error.attemptsExceeded': 'Password attempts exceeded. Please wait a moment and try again.',
  'error.tooManyRequests': 'Too many attempts. Please try again later.',
  'error.userDisabled': 'This account is disabled.',
  'error.temporaryPasswordExpired': 'Your temporary password has expired. Please ask an administrator to reset it.',
  'error.invalidPassword': 'The password does not meet the requirements.',
  'error.passwordsDiffer': 'The two passwords are not the same.',
  'error.codeMismatch': 'Invalid verification code, please try again.',
  'error.codeExpired': 'The code has expired. Please request a new one.',
  'error.usernameExists': 'An account with this username already exists.',
  'error.invalidParameter': 'Some of the information given is not valid.',
  'error.signUpNotAllowed': 'Sign-up is not permitted for this application.',
  'error.sessionExpired': 'Your session has expired. Please sign in again.',
  'error.csrf': 'This form has expired or did not come from this page. Please go back and try again.',
  'error.unknownClient': 'The application that sent you here is not known (client_id).',
  'error.redirectMismatch': 'The application that sent you here asked to return to an address it has not registered (redirect_uri).',
  'error.logoutMismatch': 'The application that sent you here asked to return to an address it has not registered (logout_uri).',
  'error.notFound': 'This page does not exist.',
  'error.federationUnavailable': 'Signing in with this identity provider is not available.',
  'error.internal': 'An unexpected error occurred. Please try again.',
  'notice.passwordChanged': 'Your password has been changed. Please sign in.',
  'notice.accountConfirmed': 'Your account is confirmed. Please sign in.',
  'a11y.required': 'required',
  'a11y.logo': '{name} logo',
} as const;

export type MessageId = keyof typeof en;

const de: Partial<Record<MessageId, string>> = {
  'page.signIn.title': 'Anmelden',
  'page.signIn.heading': 'Mit Benutzername und Passwort anmelden',
  'page.signUp.title': 'Registrieren',
  'page.signUp.heading': 'Konto erstellen',
  'page.confirm.title': 'Konto bestätigen',
  'page.confirm.heading': 'Geben Sie den Code ein, den wir Ihnen gesendet haben',
  'page.forgot.title': 'Passwort vergessen?',
  'page.forgot.heading': 'Geben Sie Ihren Benutzernamen ein; wir senden Ihnen einen Code zum Zurücksetzen des Passworts.',
  'page.reset.title': 'Passwort zurücksetzen',
  'page.reset.heading': 'Geben Sie den Code ein, den wir Ihnen gesendet haben, und wählen Sie ein neues Passwort.',
  'page.newPassword.title': 'Passwort ändern',
  'page.newPassword.heading': 'Bitte wählen Sie ein neues Passwort, um fortzufahren.',
  'page.error.title': 'Etwas ist schiefgelaufen',
  'page.signedOut.title': 'Abgemeldet',
  'page.signedOut.heading': 'Sie wurden abgemeldet.',
  'field.username': 'Benutzername',
  'field.usernameOrEmail': 'Benutzername, E-Mail oder Telefonnummer',
  'field.email': 'E-Mail',
  'field.phone': 'Telefonnummer',
  'field.password': 'Passwort',
  'field.newPassword': 'Neues Passwort',
  'field.confirmPassword': 'Neues Passwort wiederholen',
  'field.code': 'Bestätigungscode',
  'action.signIn': 'Anmelden',
  'action.signUp': 'Registrieren',
  'action.confirm': 'Konto bestätigen',
  'action.sendCode': 'Code senden',
  'action.resendCode': 'Neuen Code senden',
  'action.resetPassword': 'Passwort zurücksetzen',
  'action.changePassword': 'Passwort ändern',
  'action.signInAgain': 'Erneut anmelden',
  'link.forgotPassword': 'Passwort vergessen?',
  'link.signUp': 'Noch kein Konto? Registrieren',
  'link.signIn': 'Schon ein Konto? Anmelden',
  'link.backToSignIn': 'Zurück zur Anmeldung',
  'text.codeSent': 'Wir haben einen Code an {destination} gesendet.',
  'text.or': 'oder',
  'text.signInWith': 'Mit {provider} anmelden',
  'error.incorrectCredentials': 'Benutzername oder Passwort ist falsch.',
  'error.userNotFound': 'Benutzer existiert nicht.',
  'error.attemptsExceeded': 'Zu viele Passwortversuche. Bitte warten Sie einen Moment und versuchen Sie es erneut.',
  'error.tooManyRequests': 'Zu viele Versuche. Bitte versuchen Sie es später erneut.',
  'error.userDisabled': 'Dieses Konto ist deaktiviert.',
  'error.temporaryPasswordExpired': 'Ihr vorläufiges Passwort ist abgelaufen. Bitte lassen Sie es von einem Administrator zurücksetzen.',
  'error.invalidPassword': 'Das Passwort erfüllt die Anforderungen nicht.',
  'error.passwordsDiffer': 'Die beiden Passwörter stimmen nicht überein.',
  'error.codeMismatch': 'Ungültiger Bestätigungscode, bitte versuchen Sie es erneut.',
  'error.codeExpired': 'Der Code ist abgelaufen. Bitte fordern Sie einen neuen an.',
  'error.usernameExists': 'Ein Konto mit diesem Benutzernamen existiert bereits.',
  'error.invalidParameter': 'Einige Angaben sind ungültig.',
  'error.signUpNotAllowed': 'Registrierung ist für diese Anwendung nicht erlaubt.',
  'error.sessionExpired': 'Ihre Sitzung ist abgelaufen. Bitte melden Sie sich erneut an.',
  'error.csrf': 'Dieses Formular ist abgelaufen oder stammt nicht von dieser Seite. Bitte gehen Sie zurück und versuchen Sie es erneut.',
  'error.unknownClient': 'Die Anwendung, die Sie hierher geschickt hat, ist unbekannt (client_id).',
  'error.redirectMismatch': 'Die Anwendung, die Sie hierher geschickt hat, möchte zu einer nicht registrierten Adresse zurückkehren (redirect_uri).',
  'error.logoutMismatch': 'Die Anwendung, die Sie hierher geschickt hat, möchte zu einer nicht registrierten Adresse zurückkehren (logout_uri).',
  'error.notFound': 'Diese Seite existiert nicht.',
  'error.federationUnavailable': 'Die Anmeldung mit diesem Identitätsanbieter ist nicht verfügbar.',
  'error.internal': 'Ein unerwarteter Fehler ist aufgetreten. Bitte versuchen Sie es erneut.',
  'notice.passwordChanged': 'Ihr Passwort wurde geändert. Bitte melden Sie sich an.',
  'notice.accountConfirmed': 'Ihr Konto ist bestätigt. Bitte melden Sie sich an.',
  'a11y.required': 'Pflichtfeld',
  'a11y.logo': 'Logo von {name}',
};

const catalogues: Record<Lang, Partial<Record<MessageId, string>>> = { en, de };

/** The text of `id` in `lang` (English when missing), `{name}` placeholders filled (not escaped). */
export function t(lang: Lang, id: MessageId, vars: Record<string, string> = {}): string {
  const text = catalogues[lang][id] ?? en[id];
  return text.replace(/\{(\w+)\}/g, (m, k: string) => vars[k] ?? m);
}

/** `lang` if supported, else the highest-weighted supported Accept-Language entry, else English. */
export function pickLanguage(lang: string | null | undefined, acceptLanguage: string | string[] | undefined): Lang {
  const direct = lang?.toLowerCase().split(/[-_]/)[0];
  if (direct && (LANGUAGES as readonly string[]).includes(direct)) return direct as Lang;
  const header = Array.isArray(acceptLanguage) ? acceptLanguage.join(',') : (acceptLanguage ?? '');
  const ranked = header
    .split(',')
    .map((part, i) => {
      const [tag, ...params] = part.trim().split(';');
      const q = params.map((p) => /^\s*q=([\d.]+)/.exec(p)?.[1]).find(Boolean);
      return { base: tag.toLowerCase().split('-')[0], q: q === undefined ? 1 : Number(q), i };
    })
    .filter((x) => x.base && x.q > 0)
    .sort((a, b) => b.q - a.q || a.i - b.i);
  const hit = ranked.find((x) => (LANGUAGES as readonly string[]).includes(x.base));
  return (hit?.base as Lang | undefined) ?? 'en';
}
