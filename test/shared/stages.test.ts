import { expect } from 'chai';
import { Cron } from 'croner';
import { DEAD_LETTER, SERVICE_TABLE, SERVICES, STAGE_TABLE, STATES, STEP_TABLE, STEPS, TERMINAL_STATES, canTransition, stateForTopic, type State } from '../../shared/stages';

describe('stage table', () => {
  it('gives every state its own topic and function', () => {
    const topics = STATES.map((s) => STAGE_TABLE[s].topic);
    const functions = STATES.map((s) => STAGE_TABLE[s].functionName);
    expect(new Set([...topics, DEAD_LETTER.topic]).size).to.equal(STATES.length + 1);
    expect(new Set([...functions, DEAD_LETTER.functionName]).size).to.equal(STATES.length + 1);
  });

  it('names only known states as next states, and terminal states have none', () => {
    for (const state of STATES) {
      for (const next of STAGE_TABLE[state].next) expect(STATES).to.include(next);
      expect(STAGE_TABLE[state].next.length === 0).to.equal(STAGE_TABLE[state].terminal);
    }
    expect(TERMINAL_STATES).to.have.members(['DELIVERED', 'ERROR', 'CANCELLED']);
  });

  it('lets every working state fail or be cancelled', () => {
    for (const state of STATES.filter((s) => !STAGE_TABLE[s].terminal)) {
      expect(canTransition(state, 'ERROR'), state).to.equal(true);
      expect(canTransition(state, 'CANCELLED'), state).to.equal(true);
    }
  });

  it('follows the pipeline order, with approval only as a detour', () => {
    const happy: State[] = ['SUBMITTED', 'INPUT_SANITIZED', 'CREATIVE_DIRECTION', 'RENDERING', 'QA_TECH', 'QA_SEMANTIC', 'DELIVERED'];
    for (let i = 1; i < happy.length; i++) expect(canTransition(happy[i - 1], happy[i]), `${happy[i - 1]}→${happy[i]}`).to.equal(true);
    expect(canTransition('CREATIVE_DIRECTION', 'WAITING_APPROVAL')).to.equal(true);
    expect(canTransition('WAITING_APPROVAL', 'RENDERING')).to.equal(true);
    expect(canTransition('SUBMITTED', 'RENDERING')).to.equal(false);
    expect(canTransition('DELIVERED', 'RENDERING')).to.equal(false);
    expect(canTransition('QA_SEMANTIC', 'SUBMITTED')).to.equal(false);
  });

  it('keeps every stage within the 600 s a push subscription waits for an answer', () => {
    for (const state of STATES) expect(STAGE_TABLE[state].timeoutSec, state).to.be.at.most(600);
    expect(DEAD_LETTER.timeoutSec).to.be.at.most(600);
  });

  it('finds the state of a topic', () => {
    expect(stateForTopic('aiprod-rendering')).to.equal('RENDERING');
    expect(stateForTopic('nope')).to.equal(undefined);
  });
});

describe('service table', () => {
  const services = SERVICES.map((name) => SERVICE_TABLE[name]);

  it('gives every service a topic and a function of its own, apart from the stages, steps and dead-letter handler', () => {
    const pipeline = [...STATES.map((s) => STAGE_TABLE[s]), ...STEPS.map((k) => STEP_TABLE[k]), DEAD_LETTER];
    const topics = [...pipeline, ...services].map((spec) => spec.topic);
    const functions = [...pipeline, ...services].map((spec) => spec.functionName);
    expect(new Set(topics).size).to.equal(topics.length);
    expect(new Set(functions).size).to.equal(functions.length);
  });

  it('dead-letters only to the dead-letter topic or another service topic, never to its own', () => {
    const serviceTopics = services.map((spec) => spec.topic);
    for (const spec of services.filter((spec) => spec.deadLetterTopic !== undefined)) {
      expect([DEAD_LETTER.topic, ...serviceTopics], spec.functionName).to.include(spec.deadLetterTopic);
      expect(spec.deadLetterTopic, spec.functionName).not.to.equal(spec.topic);
    }
  });

  it('keeps every service within the push deadline and Pub/Sub delivery limits', () => {
    for (const spec of services) {
      expect(spec.timeoutSec, spec.functionName).to.be.within(1, 600);
      expect(spec.delivery.maxDeliveryAttempts, spec.functionName).to.be.within(5, 100);
      expect(spec.delivery.minimumBackoffSec, spec.functionName).to.be.within(0, spec.delivery.maximumBackoffSec);
      expect(spec.delivery.maximumBackoffSec, spec.functionName).to.be.at.most(600);
    }
  });

  it('schedules with 5-field crons, as Cloud Scheduler takes them, in a known time zone', () => {
    for (const spec of services.filter((spec) => spec.schedule !== undefined)) {
      const { cron, timeZone } = spec.schedule!;
      expect(cron.trim().split(/\s+/), spec.functionName).to.have.length(5);
      const job = new Cron(cron, { timezone: timeZone, paused: true });
      expect(job.nextRun(), spec.functionName).to.be.instanceOf(Date);
      job.stop();
    }
  });
});
