import { z } from 'zod';
import { RoleSchema } from '../../../shared/domain/auth/permissions';
import type { Member } from '../../../shared/ports/identity';
import { HttpError } from '../http_error';
import { callerOf, recordAudit } from '../job_access';
import { defineRoute, type ApiRequest } from '../route';

const MemberParamsSchema = z.strictObject({ uid: z.string().regex(/^[A-Za-z0-9_-]{1,128}$/) });
const MemberSchema = z.strictObject({ uid: z.string(), email: z.string().nullable(), role: RoleSchema.nullable() }).meta({ id: 'Member' });

/** A signed-in user the caller may manage: one of the tenant's members, or (to add) one with no tenant yet. */
async function manageableMember(request: ApiRequest<{ uid: string }, unknown, unknown>, adding: boolean): Promise<Member> {
  const principal = callerOf(request);
  const { uid } = request.params;
  if (principal.kind === 'user' && principal.id === uid) throw new HttpError(409, 'own_membership', 'you cannot change your own membership; ask another admin');
  const member = await request.runtime.identity.find(uid);
  const ours = member !== null && member.tenant === principal.tenant;
  if (member === null || (!ours && !(adding && member.tenant === null))) {
    // A user of another tenant is reported as absent: tenants learn nothing of each other's people.
    throw new HttpError(404, 'not_found', adding ? `no user ${uid} without a tenant` : `no member ${uid}`);
  }
  return member;
}

function memberView(member: Member, role: string | null) {
  const parsed = RoleSchema.safeParse(role);
  return { uid: member.uid, email: member.email, role: parsed.success ? parsed.data : null };
}

export const setMemberRole = defineRoute({
  operationId: 'setMemberRole',
  method: 'PUT',
  path: '/v1/members/{uid}',
  summary: 'Make a signed-in user a member of this tenant with a role, or change the role of a member.',
  tag: 'access',
  permission: 'manage:roles',
  params: MemberParamsSchema,
  body: z.strictObject({ role: RoleSchema }),
  responses: { 200: { description: 'The member with the role; it applies from their next sign-in.', schema: MemberSchema } },
  async handle(request) {
    const principal = callerOf(request);
    const member = await manageableMember(request, true);
    await request.runtime.identity.assign(member.uid, principal.tenant, request.body.role);
    await recordAudit(request, 'member.role_set', { type: 'member', id: member.uid }, { role: request.body.role, previousRole: member.role });
    return { status: 200, body: memberView(member, request.body.role) };
  },
});

export const getMember = defineRoute({
  operationId: 'getMember',
  method: 'GET',
  path: '/v1/members/{uid}',
  summary: "A member of this tenant and their role.",
  tag: 'access',
  permission: 'manage:roles',
  params: MemberParamsSchema,
  responses: { 200: { description: 'The member.', schema: MemberSchema } },
  async handle(request) {
    const member = await request.runtime.identity.find(request.params.uid);
    if (member === null || member.tenant !== callerOf(request).tenant) throw new HttpError(404, 'not_found', `no member ${request.params.uid}`);
    return { status: 200, body: memberView(member, member.role) };
  },
});

export const removeMember = defineRoute({
  operationId: 'removeMember',
  method: 'DELETE',
  path: '/v1/members/{uid}',
  summary: 'Remove a member from this tenant; their sign-in stops working here at once.',
  tag: 'access',
  permission: 'manage:roles',
  params: MemberParamsSchema,
  responses: { 204: { description: 'The user is no longer a member.' } },
  async handle(request) {
    const member = await manageableMember(request, false);
    await request.runtime.identity.remove(member.uid);
    await recordAudit(request, 'member.removed', { type: 'member', id: member.uid }, { previousRole: member.role });
    return { status: 204, body: undefined };
  },
});
