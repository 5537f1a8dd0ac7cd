// Registers every Cloud Function with the Functions Framework; each deployment picks one by entry point.
import * as functions from '@google-cloud/functions-framework';
import { DEAD_LETTER, STAGE_TABLE, STATES, STEP_TABLE, STEPS } from '../shared/stages';
import { api } from './api/api';
import { installJsonFinalHandler } from './api/final_handler';
import { failDeadLetteredJob } from './pipeline/dead_letter';
import { stageFunction } from './pipeline/stage_function';
import { STAGE_WORK, STEP_WORK } from './stages';

installJsonFinalHandler();
for (const state of STATES) functions.cloudEvent(STAGE_TABLE[state].functionName, stageFunction({ state }, STAGE_WORK[state]));
for (const step of STEPS) {
  functions.cloudEvent(STEP_TABLE[step].functionName, stageFunction({ state: STEP_TABLE[step].state, step }, STEP_WORK[step]));
}
functions.cloudEvent(DEAD_LETTER.functionName, failDeadLetteredJob);
functions.http('api', api);
