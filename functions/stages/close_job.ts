import { formatUsd } from '../../shared/domain/budget';
import { resumed } from '../../shared/domain/pauses';
import { ledgerTotal, roundUsd } from '../../shared/domain/prices';
import { batchCompletedEvent } from '../../shared/domain/webhooks/events';
import type { Job, JobPatch } from '../../shared/schemas/job';
import type { Runtime } from '../runtime';
import { publishWebhookEvents } from '../pipeline/publish_webhook_events';
import type { StageRun } from '../pipeline/stage_work';
import { blobKeys } from './blob_keys';

/** The closing figures: when, the actual cost (the ledger's sum) and how far it is from the estimate. */
function completion(job: Job, runtime: Runtime) {
  const totalCostUsd = ledgerTotal(job.costLedger);
  const costDifferenceUsd = job.estimate === null ? null : roundUsd(totalCostUsd - job.estimate.totalUsd);
  return { completedAt: runtime.clock().toISOString(), totalCostUsd, costDifferenceUsd };
}

/**
 * Counts what the job cost against its tenant's budget and releases what it set aside, once however often the
 * closing work runs; a hold the budget check had on it ends with the job.
 */
async function settleBudget(job: Job, runtime: Runtime): Promise<{ patch: JobPatch; note: string }> {
  const now = runtime.clock();
  const settlement = await runtime.generative.budgets.settle(job, ledgerTotal(job.costLedger), now);
  const released = resumed(job, `the job ended ${job.state}`, now);
  const patch = released === null ? {} : { pauses: released.pauses };
  if (settlement === null) return { patch, note: '' };
  return { patch, note: `; budget: ${formatUsd(settlement.spentUsd)} spent in ${settlement.month}, ${formatUsd(settlement.releasedUsd)} released` };
}

/**
 * Counts the job in its batch; the last job of a batch to finish completes it, which webhooks hear of. Recording
 * twice is harmless, and so is announcing the completion again (webhooks receive an event id once).
 */
async function finishInBatch(job: Job, runtime: Runtime): Promise<void> {
  if (job.batchId === null) return;
  const batch = await runtime.batches.recordFinished(job.batchId, job.id, job.state, runtime.clock().toISOString());
  if (batch.completedAt !== null) await publishWebhookEvents(runtime.events, [batchCompletedEvent(batch)]);
}

/** Writes the delivery receipt next to the videos and drops the intermediate renders. */
export const closeDeliveredJob: StageRun = async ({ job, runtime }) => {
  const budget = await settleBudget(job, runtime);
  const done = completion(job, runtime);
  const receipt = {
    jobId: job.id,
    tenant: job.tenant,
    brand: job.brief.brand.name,
    videos: job.outputs.videos,
    qa: job.qa,
    totalCostUsd: done.totalCostUsd,
    estimate: job.estimate,
    costDifferenceUsd: done.costDifferenceUsd,
    costLedger: job.costLedger,
    providerEvents: job.providerEvents,
    stateHistory: job.stateHistory,
    completedAt: done.completedAt,
  };
  const receiptUri = await runtime.blobs.putBytes(blobKeys.receipt(job.id), Buffer.from(JSON.stringify(receipt, null, 2)), 'application/json');
  await runtime.blobs.deletePrefix(blobKeys.rendersFolder(job.id));
  await finishInBatch(job, runtime);
  return { kind: 'settle', reason: `delivery receipt written${budget.note}`, patch: { ...done, ...budget.patch, outputs: { ...job.outputs, receiptUri } } };
};

/** Removes whatever a failed or cancelled job had produced, so nothing half-made is left to be mistaken for output. */
function closeUnfinished(outcome: string): StageRun {
  return async ({ job, runtime }) => {
    const budget = await settleBudget(job, runtime);
    await runtime.blobs.deletePrefix(blobKeys.rendersFolder(job.id));
    await runtime.blobs.deletePrefix(blobKeys.deliveryFolder(job.id));
    await finishInBatch(job, runtime);
    return { kind: 'settle', reason: `${outcome} job closed; partial outputs removed${budget.note}`, patch: { ...completion(job, runtime), ...budget.patch } };
  };
}

export const closeFailedJob = closeUnfinished('failed');
export const closeCancelledJob = closeUnfinished('cancelled');
