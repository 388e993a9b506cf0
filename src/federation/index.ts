// Federation (src/federation): identity providers of user pools, federated sign-in through them,
// and links between external identities and users. `federationOf(app)` gives the one service of
// an App, built on first use from the App's own store, clock and sealer.
import type { App } from '../app.js';
import { IdentityProviders } from './providers.js';

export interface Federation {
  providers: IdentityProviders;
}

const services = new WeakMap<App, Federation>();

export function federationOf(app: App): Federation {
  let f = services.get(app);
  if (!f) {
    f = { providers: new IdentityProviders({ store: app.store, clock: app.clock, sealer: app.sealer, pools: app.pools }) };
    services.set(app, f);
  }
  return f;
}
