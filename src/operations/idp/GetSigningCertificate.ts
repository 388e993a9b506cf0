// GetSigningCertificate: the pool's SAML certificate (base64 DER, no PEM armour, as Cognito gives
// it), the one that signs AuthnRequests and LogoutRequests; made on first use (saml-keys.ts).
import { spKeyOf, certificateBody } from '../../federation/saml-keys.js';
import type { GetSigningCertificateRequest, GetSigningCertificateResponse } from '../../models/idp-types.js';
import { defineOperation } from '../operation.js';

export default defineOperation<GetSigningCertificateRequest, GetSigningCertificateResponse>('idp', 'GetSigningCertificate', async (input, { app }) => {
  const pool = await app.pools.get(input.UserPoolId);
  return { Certificate: certificateBody((await spKeyOf(app, pool.id)).certificate) };
});
