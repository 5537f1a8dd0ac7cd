import { expect } from 'chai';
import { DEAD_LETTER, STAGE_TABLE, STATES, TERMINAL_STATES, canTransition, stateForTopic, type State } from '../../shared/stages';

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
