import { expect } from 'chai';
import { validateBrief } from '../../../../shared/domain/brief_validation';
import { newJob } from '../../../../shared/domain/new_job';
import { applyTransition } from '../../../../shared/domain/transitions';
import { batchCompletedEvent, deliveryIdOf, jobEvents, newDelivery, pingEvent } from '../../../../shared/domain/webhooks/events';
import type { Job } from '../../../../shared/schemas/job';
import { WebhookEventSchema } from '../../../../shared/schemas/webhook';
import type { State } from '../../../../shared/stages';
import { shortBrief } from '../../../support/fixtures';

function submitted(): Job {
  const validation = validateBrief(shortBrief());
  if (!validation.ok) throw new Error('fixture invalid');
  return newJob({ id: 'job_0123456789abcdef0123456789abcdef', tenant: 'acme', brief: validation.brief, createdBy: null, batchId: 'batch_0123456789abcdef0123456789abcdef' }, new Date('2030-01-01T00:00:00Z'));
}

function moved(job: Job, to: State, reason = `to ${to}`): Job {
  return applyTransition(job, { to, reason, causeEventId: job.stateEventId }, new Date('2030-01-01T00:01:00Z')).job;
}

describe('webhook events', () => {
  it('announces a submitted job as job.created, with no previous state', () => {
    const job = submitted();
    const [created, ...rest] = jobEvents(job);
    expect(rest).to.deep.equal([]);
    expect(created).to.deep.equal({
      id: `${job.stateEventId}:job.created`,
      type: 'job.created',
      createdAt: '2030-01-01T00:00:00.000Z',
      tenant: 'acme',
      data: { jobId: job.id, batchId: job.batchId, state: 'SUBMITTED', previousState: null, reason: 'brief submitted' },
    });
  });

  it('announces every later state as job.state_changed, DELIVERED also as job.completed and ERROR as job.failed', () => {
    const sanitized = moved(submitted(), 'INPUT_SANITIZED');
    expect(jobEvents(sanitized).map((event) => event.type)).to.deep.equal(['job.state_changed']);
    expect(jobEvents(sanitized)[0].data).to.include({ state: 'INPUT_SANITIZED', previousState: 'SUBMITTED', reason: 'to INPUT_SANITIZED' });
    expect(jobEvents(moved(sanitized, 'ERROR', 'brief rejected')).map((event) => event.type)).to.deep.equal(['job.state_changed', 'job.failed']);
    const delivered = ['CREATIVE_DIRECTION', 'RENDERING', 'QA_TECH', 'QA_SEMANTIC', 'DELIVERED'].reduce((job, to) => moved(job, to as State), sanitized);
    expect(jobEvents(delivered).map((event) => event.type)).to.deep.equal(['job.state_changed', 'job.completed']);
    expect(jobEvents(moved(sanitized, 'CANCELLED')).map((event) => event.type)).to.deep.equal(['job.state_changed']);
  });

  it('gives the same events every time a state is announced, each valid by the envelope schema', () => {
    const job = moved(submitted(), 'INPUT_SANITIZED');
    expect(jobEvents(job)).to.deep.equal(jobEvents(structuredClone(job)));
    for (const event of jobEvents(job)) expect(WebhookEventSchema.parse(event)).to.deep.equal(event);
  });

  it('announces a complete batch once per batch id, and refuses an incomplete one', () => {
    const batch = { id: 'batch_1', tenant: 'acme', jobIds: ['job_a'], createdAt: '2030-01-01T00:00:00.000Z', createdBy: null, finished: { job_a: 'DELIVERED' as const }, completedAt: '2030-01-01T00:05:00.000Z' };
    const event = batchCompletedEvent(batch);
    expect(event).to.deep.include({ id: 'batch.completed:batch_1', type: 'batch.completed', createdAt: batch.completedAt });
    expect(WebhookEventSchema.parse(event)).to.deep.equal(event);
    expect(() => batchCompletedEvent({ ...batch, completedAt: null })).to.throw(/not complete/);
  });

  it('derives one delivery id per event and webhook, and records the job a delivery is about', () => {
    const webhook = { id: 'whk_0123456789abcdef01234567', tenant: 'acme' };
    const [event] = jobEvents(submitted());
    expect(deliveryIdOf(event.id, webhook.id)).to.equal(deliveryIdOf(event.id, webhook.id)).and.match(/^dlv_[0-9a-f]{32}$/);
    expect(deliveryIdOf(event.id, 'whk_other')).not.to.equal(deliveryIdOf(event.id, webhook.id));
    const delivery = newDelivery(event, webhook, new Date('2030-01-02T00:00:00Z'));
    expect(delivery).to.deep.include({ status: 'pending', attempts: [], jobId: 'job_0123456789abcdef0123456789abcdef', eventType: 'job.created', lease: null });
    const ping = pingEvent(webhook, new Date());
    expect(newDelivery(ping, webhook, new Date()).jobId).to.equal(null);
    expect(pingEvent(webhook, new Date()).id).not.to.equal(ping.id);
  });
});
