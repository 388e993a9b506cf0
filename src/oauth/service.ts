// app.oauth: the parts of the hosted UI and OAuth that keep state or caches: the pools' domains,
// resource servers, classic UI customizations and managed-login brandings. The HTTP side
// (routes.ts and the endpoint files) and the operations reach them through here.
import type { Clock } from '../clock.js';
import type { Config } from '../config/index.js';
import type { Sealer } from '../crypto/sealed.js';
import type { Store } from '../store/store.js';
import type { UserPools } from '../userpools/pools.js';
import { Brandings } from './branding.js';
import { UiCustomizations } from './customization.js';
import { Domains } from './domains.js';
import { ResourceServers } from './resource-servers.js';

export class OAuth {
  readonly domains: Domains;
  readonly resourceServers: ResourceServers;
  readonly ui: UiCustomizations;
  readonly branding: Brandings;

  constructor(deps: { store: Store; clock: Clock; config: Config; sealer: Sealer; pools: UserPools }) {
    this.domains = new Domains(deps);
    this.resourceServers = new ResourceServers(deps);
    this.ui = new UiCustomizations(deps);
    this.branding = new Brandings(deps);
  }
}
