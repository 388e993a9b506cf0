// SignUp (public): registers an UNCONFIRMED user and sends the sign-up code (registration.ts).
import type { SignUpRequest, SignUpResponse } from '../../models/idp-types.js';
import { signUp } from '../../userpools/registration.js';
import { defineOperation } from '../operation.js';

export default defineOperation<SignUpRequest, SignUpResponse>('idp', 'SignUp', (input, { app }) => signUp(app.users, input));
