import { z } from 'zod';

/** A tenant's monthly spending limit and what is spent or set aside against it, in USD. */
export const TenantBudgetSchema = z.object({
  monthlyUsd: z.number().min(0),
  spentUsd: z.number().min(0).default(0),
  reservedUsd: z.number().min(0).default(0),
});
export type TenantBudget = z.infer<typeof TenantBudgetSchema>;

/** The document `tenants/{tenant}`; other fields belong to other features and are left alone. */
export const TenantDocumentSchema = z.object({
  budget: TenantBudgetSchema.optional(),
});

/** What is left to spend this month: monthly limit less spent and reserved (never below zero). */
export function remainingOf(budget: TenantBudget): number {
  return Math.max(0, Math.round((budget.monthlyUsd - budget.spentUsd - budget.reservedUsd) * 1e8) / 1e8);
}
