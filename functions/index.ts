// Registers every Cloud Function with the Functions Framework; each deployment picks one by entry point.
import * as functions from '@google-cloud/functions-framework';
import { DEAD_LETTER, SERVICE_TABLE, SERVICES, STAGE_TABLE, STATES, STEP_TABLE, STEPS } from '../shared/stages';
import { api } from './api/api';
import { installJsonFinalHandler } from './api/final_handler';
import { failDeadLetteredJob } from './pipeline/dead_letter';
import { stageFunction } from './pipeline/stage_function';
import { SERVICE_WORK } from './services';
import { serviceFunction } from './services/service_function';
import { STAGE_WORK, STEP_WORK } from './stages';
import { tracedCloudEvent, tracedHttp } from './traced';

installJsonFinalHandler();
// Every function logs inside the trace of the request that invoked it (functions/traced.ts).
for (const state of STATES) functions.cloudEvent(STAGE_TABLE[state].functionName, tracedCloudEvent(stageFunction({ state }, STAGE_WORK[state])));
for (const step of STEPS) {
  functions.cloudEvent(STEP_TABLE[step].functionName, tracedCloudEvent(stageFunction({ state: STEP_TABLE[step].state, step }, STEP_WORK[step])));
}
functions.cloudEvent(DEAD_LETTER.functionName, tracedCloudEvent(failDeadLetteredJob));
for (const name of SERVICES) functions.cloudEvent(SERVICE_TABLE[name].functionName, tracedCloudEvent(serviceFunction(name, SERVICE_WORK[name])));
functions.http('api', tracedHttp(api));
