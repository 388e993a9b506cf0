// The user of the Admin* device operations. AdminGetDevice and AdminListDevices declare no
// UserNotFoundException: for them an unknown user is ResourceNotFoundException.
import type { App } from '../../app.js';
import { ResourceNotFoundException, UserNotFoundException } from '../../errors.js';
import type { UserPool } from '../../userpools/pools.js';
import type { User } from '../../userpools/user.js';

export async function adminDeviceUser(app: App, poolId: string, username: string, opts: { userNotFound: boolean }): Promise<{ pool: UserPool; user: User }> {
  const pool = await app.pools.get(poolId);
  try {
    return { pool, user: await app.users.get(pool, username) };
  } catch (e) {
    if (e instanceof UserNotFoundException && !opts.userNotFound) throw new ResourceNotFoundException(e.message);
    throw e;
  }
}
