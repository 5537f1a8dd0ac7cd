/** How much a tenant may still spend this month. */
export interface TenantBudgets {
  /** USD left to spend (limit less spent and reserved), or null when the tenant has no budget set. */
  remainingUsd(tenant: string): Promise<number | null>;
}
