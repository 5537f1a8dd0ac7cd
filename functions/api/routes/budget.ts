import { z } from 'zod';
import { BudgetRefusedError, isExhausted, monthOf, remainingOf, reserve, spentPercentOf } from '../../../shared/domain/budget';
import { ValidBriefSchema } from '../../../shared/domain/brief_validation';
import { JobEstimateSchema } from '../../../shared/schemas/providers';
import { MAX_MONTHLY_USD, MonthSchema, type TenantBudget } from '../../../shared/schemas/tenant';
import { resumePausedJobs } from '../../budgets/hold_work';
import { estimateOf } from '../budget_admission';
import { callerOf, recordAudit } from '../job_access';
import { defineRoute } from '../route';

const BudgetSettingsSchema = z
  .strictObject({
    /** The monthly limit in USD; null when none is set (nothing is limited). */
    monthlyUsd: z.number().nullable(),
    /** The calendar month (UTC) the figures are for. */
    month: MonthSchema,
    /** What the jobs closed this month cost. */
    spentUsd: z.number(),
    /** The estimates of the jobs still running. */
    reservedUsd: z.number(),
    remainingUsd: z.number().nullable(),
    spentPercent: z.number().nullable(),
    /** The thresholds (percent) alerted on this month. */
    alertedPercents: z.array(z.number()),
    /** True while the budget is used up: new jobs are refused and queued ones paused. */
    exhausted: z.boolean(),
    exhaustedAt: z.string().nullable(),
  })
  .meta({ id: 'BudgetSettings' });

function settingsView(budget: TenantBudget | null, now: Date): z.infer<typeof BudgetSettingsSchema> {
  if (budget === null) {
    return { monthlyUsd: null, month: monthOf(now), spentUsd: 0, reservedUsd: 0, remainingUsd: null, spentPercent: null, alertedPercents: [], exhausted: false, exhaustedAt: null };
  }
  return {
    monthlyUsd: budget.monthlyUsd,
    month: budget.month,
    spentUsd: budget.spentUsd,
    reservedUsd: budget.reservedUsd,
    remainingUsd: remainingOf(budget),
    spentPercent: spentPercentOf(budget),
    alertedPercents: budget.alertedPercents,
    exhausted: isExhausted(budget),
    exhaustedAt: budget.exhaustedAt,
  };
}

export const estimateBrief = defineRoute({
  operationId: 'estimateBrief',
  method: 'POST',
  path: '/v1/estimates',
  summary: "What a brief would cost as a job, line by line, and whether the tenant's monthly budget can take it; no job is created.",
  tag: 'budget',
  permission: 'create:job',
  body: z.strictObject({ brief: ValidBriefSchema }),
  bodyErrorCode: 'invalid_brief',
  responses: {
    200: {
      description: 'The estimate.',
      schema: z
        .strictObject({
          estimate: JobEstimateSchema,
          month: MonthSchema,
          /** What is left of this month's budget; null when the tenant has no budget. */
          remainingUsd: z.number().nullable(),
          /** Whether a job of this brief would be admitted now. */
          fits: z.boolean(),
          /** Why it would not be, as the submission would answer (402). */
          refusal: z.strictObject({ code: z.string(), message: z.string() }).nullable(),
        })
        .meta({ id: 'Estimate' }),
    },
  },
  async handle(request) {
    const { runtime } = request;
    const now = runtime.clock();
    const estimate = estimateOf(runtime, request.body.brief);
    const budget = await runtime.generative.budgets.get(callerOf(request).tenant, now);
    let refusal: { code: string; message: string } | null = null;
    try {
      if (budget !== null) reserve(budget, [estimate.totalUsd], now);
    } catch (error) {
      if (!(error instanceof BudgetRefusedError)) throw error;
      refusal = { code: error.code, message: error.message };
    }
    const body = { estimate, month: budget?.month ?? monthOf(now), remainingUsd: budget === null ? null : remainingOf(budget), fits: refusal === null, refusal };
    return { status: 200, body };
  },
});

export const getBudgetSettings = defineRoute({
  operationId: 'getBudgetSettings',
  method: 'GET',
  path: '/v1/settings/budget',
  summary: "The tenant's monthly budget: the limit, this month's spending and reservations, the alerts sent and whether work is paused.",
  tag: 'budget',
  permission: 'manage:settings',
  responses: { 200: { description: 'The budget settings.', schema: BudgetSettingsSchema } },
  async handle(request) {
    const now = request.runtime.clock();
    return { status: 200, body: settingsView(await request.runtime.generative.budgets.get(callerOf(request).tenant, now), now) };
  },
});

export const setBudgetSettings = defineRoute({
  operationId: 'setBudgetSettings',
  method: 'PUT',
  path: '/v1/settings/budget',
  summary: "Set the tenant's monthly budget in USD; raising it above what is spent resumes the work paused for want of budget.",
  tag: 'budget',
  permission: 'manage:settings',
  body: z.strictObject({ monthlyUsd: z.number().min(0).max(MAX_MONTHLY_USD) }),
  bodyErrorCode: 'invalid_budget',
  responses: {
    200: {
      description: 'The budget as set, and the jobs it resumed.',
      schema: BudgetSettingsSchema.extend({ resumedJobIds: z.array(z.string()) }).meta({ id: 'BudgetSettingsUpdate' }),
    },
  },
  async handle(request) {
    const { runtime } = request;
    const tenant = callerOf(request).tenant;
    const now = runtime.clock();
    const { before, after } = await runtime.generative.budgets.setLimit(tenant, request.body.monthlyUsd, now);
    await recordAudit(request, 'budget.updated', { type: 'tenant', id: tenant }, { fromUsd: before?.monthlyUsd ?? null, toUsd: after.monthlyUsd });
    const reason = `the budget for ${after.month} was set to $${after.monthlyUsd.toFixed(2)}`;
    const resumedJobIds = isExhausted(after) ? [] : await resumePausedJobs(runtime, await runtime.jobs.unfinished(tenant), reason, now);
    return { status: 200, body: { ...settingsView(after, now), resumedJobIds } };
  },
});
