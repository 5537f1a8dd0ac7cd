// The authorisation matrix: every role, every permission, in one place. Routes name the permission they need
// (functions/api/routes.ts); nothing else decides who may do what.
import { z } from 'zod';

/** The seeds' thirteen permissions plus approve:job, which the storyboard approval step needs of its own. */
export const PERMISSIONS = [
  'read:jobs',
  'read:results',
  'read:logs',
  'read:metrics',
  'create:job',
  'update:job',
  'delete:job',
  'approve:job',
  'manage:users',
  'manage:roles',
  'manage:settings',
  'view:audit_log',
  'service:call',
  'service:webhook',
] as const;
export const PermissionSchema = z.enum(PERMISSIONS);
export type Permission = z.infer<typeof PermissionSchema>;

export const ROLES = ['admin', 'user', 'viewer', 'service'] as const;
export const RoleSchema = z.enum(ROLES);
export type Role = z.infer<typeof RoleSchema>;

const READ = ['read:jobs', 'read:results', 'read:logs', 'read:metrics'] as const;

export const ROLE_PERMISSIONS: Readonly<Record<Role, readonly Permission[]>> = {
  admin: PERMISSIONS,
  // People who make ads: everything about jobs, nothing about who may use the tenant.
  user: [...READ, 'create:job', 'update:job', 'delete:job', 'approve:job', 'service:call'],
  viewer: READ,
  // Integrations: submit work, read results, receive webhooks; never approve, edit or erase.
  service: ['read:jobs', 'read:results', 'create:job', 'service:call', 'service:webhook'],
};

export function roleHas(role: Role, permission: Permission): boolean {
  return ROLE_PERMISSIONS[role].includes(permission);
}
