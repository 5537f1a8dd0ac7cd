import { expect } from 'chai';
import { PERMISSIONS, ROLE_PERMISSIONS, roleHas } from '../../../../shared/domain/auth/permissions';

describe('the permission matrix', () => {
  it('has the fourteen permissions, and admins hold every one', () => {
    expect(PERMISSIONS).to.have.length(14);
    expect(new Set(PERMISSIONS).size).to.equal(14);
    for (const permission of PERMISSIONS) expect(roleHas('admin', permission)).to.equal(true);
  });

  it('keeps viewers to reading, and services from approving, editing, erasing and managing people', () => {
    expect(ROLE_PERMISSIONS.viewer.every((permission) => permission.startsWith('read:'))).to.equal(true);
    for (const permission of ['approve:job', 'update:job', 'delete:job', 'manage:users', 'manage:roles', 'manage:settings', 'view:audit_log'] as const) {
      expect(roleHas('service', permission), permission).to.equal(false);
    }
    for (const permission of ['manage:users', 'manage:roles', 'manage:settings', 'view:audit_log', 'service:webhook'] as const) {
      expect(roleHas('user', permission), permission).to.equal(false);
    }
  });
});
