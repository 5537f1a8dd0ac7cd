import { z } from 'zod';
import type { Job } from '../../../shared/schemas/job';
import { callerOf, JobParamsSchema, moveJob, ownJob, recordAudit } from '../job_access';
import { defineRoute } from '../route';
import { JobViewSchema, jobView } from '../views';

const DecisionSchema = z.strictObject({ comment: z.string().trim().min(1).max(500).optional() });

type Decision = 'approved' | 'rejected';

/** Where each decision sends a job waiting for approval. */
const DESTINATION = { approved: 'RENDERING', rejected: 'CANCELLED' } as const;

/** Whether the job already went from approval to where this decision sends it. */
function decided(job: Job, decision: Decision): boolean {
  return job.stateHistory.some((entry) => entry.from === 'WAITING_APPROVAL' && entry.to === DESTINATION[decision]);
}

/** Approve and reject: a reviewer's decision on a storyboard waiting for approval, made once however often it is sent. */
function decisionRoute(decision: Decision, verb: 'approve' | 'reject', summary: string) {
  return defineRoute({
    operationId: `${verb}Job`,
    method: 'POST',
    path: `/v1/jobs/{jobId}/${verb}`,
    summary,
    tag: 'storyboard',
    permission: 'approve:job',
    params: JobParamsSchema,
    body: DecisionSchema.optional(),
    responses: { 200: { description: `The job, ${decision} (${verb === 'approve' ? 'approving' : 'rejecting'} twice is harmless).`, schema: JobViewSchema } },
    async handle(request) {
      const { runtime } = request;
      const principal = callerOf(request);
      const comment = request.body?.comment;
      const job = await ownJob(runtime, principal, request.params.jobId);
      const moved = await moveJob(runtime, job, {
        to: DESTINATION[decision],
        reason: `storyboard ${decision} by ${principal.kind} ${principal.id}${comment === undefined ? '' : `: ${comment}`}`,
        from: ['WAITING_APPROVAL'],
        conflictCode: 'not_waiting_for_approval',
        alreadyDone: (current) => decided(current, decision),
        patch: (current, now) => ({ approval: current.approval && { ...current.approval, decision, decidedAt: now.toISOString(), decidedBy: principal, comment } }),
      });
      if (!decided(job, decision)) await recordAudit(request, `storyboard.${decision}`, { type: 'job', id: job.id });
      return { status: 200, body: jobView(moved) };
    },
  });
}

export const approveJob = decisionRoute('approved', 'approve', 'Approve the storyboard of a job waiting for approval; it goes on to rendering.');
export const rejectJob = decisionRoute('rejected', 'reject', "Reject the storyboard of a job waiting for approval; the job is cancelled with the reviewer's comment.");
