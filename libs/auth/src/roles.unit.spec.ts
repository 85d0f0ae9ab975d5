import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ROLES } from './principal';

describe('the role list', () => {
  it('is exactly the realm roles that infra/keycloak/realm-hrp.json imports', () => {
    const realm = JSON.parse(readFileSync(join(__dirname, '..', '..', '..', 'infra', 'keycloak', 'realm-hrp.json'), 'utf8')) as {
      roles: { realm: { name: string }[] };
    };
    const imported = realm.roles.realm
      .map((r) => r.name)
      .filter((n) => !n.startsWith('default-roles-') && !n.startsWith('offline_') && n !== 'uma_authorization');
    expect([...imported].sort()).toEqual([...ROLES].sort());
  });
});
