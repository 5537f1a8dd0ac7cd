import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { expect } from 'chai';
import { DEAD_LETTER, DELIVERY_POLICY, SERVICE_TABLE, SERVICES, STAGE_TABLE, STATES, STEP_TABLE, STEPS } from '../../shared/stages';
import { DR_ALERT } from '../../functions/services/check_disaster_recovery';
import { metricFilter, payloadFields } from '../support/log_filter';
import { JOB_FILTER_PATHS } from '../../shared/adapters/firestore/firestore_job_store';
import {
  blocks,
  body,
  collect,
  compareDeliveryPolicy,
  compareStage,
  compareStages,
  compareServices,
  compareSteps,
  DEAD_LETTER_KEY,
  instanceKeys,
  missingInstances,
  movedBlocks,
  notDeadLettered,
  notIteratingPipeline,
  parseFile,
  PIPELINE_FUNCTIONS,
  PUSHED_FUNCTIONS,
  pushedFunctionsProblems,
  resource,
  serviceDefaults,
  stageDefaults,
  stageFunctionProblems,
  stageSubscriptionProblems,
  stepDefaults,
  tfFiles,
  undeclaredLocals,
  undeclaredResources,
  undeclaredVariables,
  variableDefault,
  loadTerraform,
  type HclBody,
  type StageDefault,
  type Terraform,
  TERRAFORM_DIR,
} from './hcl';

/**
 * The per-stage resources: each must iterate local.pipeline_functions (var.stages plus var.steps) or
 * local.pushed_functions (those plus the dead-letter handler), so a stage or step in the tables cannot lack one.
 */
const PER_STAGE_RESOURCES = [
  'google_pubsub_topic.stage',
  'google_pubsub_subscription.stage',
  'google_cloudfunctions2_function.stage',
  'google_cloud_run_v2_service_iam_member.stage_invoker',
  'google_pubsub_subscription_iam_member.pubsub_agent_subscriber',
  'google_pubsub_topic_iam_member.pipeline_publisher',
];

/** What every step gets: its topic, function, push subscription, invoker grant and the Pub/Sub agent's ack right. */
const PER_STEP_RESOURCES = [
  'google_pubsub_topic.stage',
  'google_cloudfunctions2_function.stage',
  'google_pubsub_subscription.stage',
  'google_cloud_run_v2_service_iam_member.stage_invoker',
  'google_pubsub_subscription_iam_member.pubsub_agent_subscriber',
  'google_pubsub_topic_iam_member.pipeline_publisher',
];

/** What every service gets: its topic, function, push subscription and invoker grant. */
const PER_SERVICE_RESOURCES = [
  'google_pubsub_topic.service',
  'google_pubsub_subscription.stage',
  'google_cloudfunctions2_function.stage',
  'google_cloud_run_v2_service_iam_member.stage_invoker',
  'google_pubsub_topic_iam_member.service_publisher',
];

const SCHEDULED = SERVICES.filter((name) => SERVICE_TABLE[name].schedule !== undefined);
const DEAD_LETTERED_SERVICES = SERVICES.filter((name) => SERVICE_TABLE[name].deadLetterTopic !== undefined);

/** A deep copy, so a test can break the parsed configuration without touching the shared one. */
function copyOf(tf: Terraform): Terraform {
  return collect(structuredClone(tf.files));
}

describe('terraform', () => {
  let tf: Terraform;

  before(async () => {
    tf = await loadTerraform();
  });

  describe('files', () => {
    it('has the expected files, one resource family each', () => {
      const names = tfFiles().map((file) => file.split('/').pop());
      expect(names).to.include.members([
        'apis.tf',
        'backups.tf',
        'budgets.tf',
        'firestore.tf',
        'functions.tf',
        'main.tf',
        'monitoring.tf',
        'outputs.tf',
        'pubsub.tf',
        'scheduler.tf',
        'storage.tf',
        'variables.tf',
        'versions.tf',
      ]);
    });

    for (const file of tfFiles()) {
      it(`parses ${file.split('/').pop()}`, async () => {
        const json = await parseFile(file);
        expect(json).to.be.an('object');
        expect(Object.keys(json)).to.have.length.greaterThan(0);
      });
    }

    it('rejects a file that is not valid HCL (so the parse tests can fail)', async () => {
      const { parse } = await import('@cdktf/hcl2json');
      let error: unknown;
      try {
        await parse('broken.tf', 'resource "google_pubsub_topic" "x" {\n  name =\n');
      } catch (caught) {
        error = caught;
      }
      expect(error).to.be.instanceOf(Error);
    });

    it('is written in terraform fmt style (2-space indent, no tabs)', () => {
      for (const file of tfFiles()) {
        const lines = readFileSync(file, 'utf8').split('\n');
        lines.forEach((line, index) => {
          expect(line, `${file}:${index + 1}`).not.to.match(/\t/);
          const indent = /^ */.exec(line)?.[0].length ?? 0;
          expect(indent % 2, `${file}:${index + 1} indent`).to.equal(0);
        });
      }
    });

    it('passes terraform fmt -check (when a terraform binary is installed)', function () {
      try {
        execFileSync('terraform', ['version'], { stdio: 'ignore' });
      } catch {
        this.skip();
      }
      execFileSync('terraform', ['fmt', '-check', '-list=true'], { cwd: TERRAFORM_DIR, stdio: 'pipe' });
    });

    it('pins terraform >= 1.5 and the google, google-beta and archive providers', () => {
      const terraform = tf.files.flatMap(({ json }) => blocks(json, 'terraform'))[0];
      expect(terraform, 'terraform block').not.to.equal(undefined);
      expect(terraform.required_version).to.equal('>= 1.5');
      const providers = blocks(terraform, 'required_providers')[0] as Record<string, { source: string; version: string }>;
      expect(providers.google.source).to.equal('hashicorp/google');
      expect(providers.google.version).to.match(/^~> [56]\./);
      expect(providers['google-beta'].source).to.equal('hashicorp/google-beta');
      expect(providers['google-beta'].version).to.match(/^~> [56]\./);
      expect(providers.archive.source).to.equal('hashicorp/archive');
    });
  });

  describe('the stages variable mirrors the stage table', () => {
    it('declares every state of the stage table with its topic and function', () => {
      const defaults = stageDefaults(tf);
      for (const state of STATES) {
        expect(defaults, state).to.have.property(state);
        expect(defaults[state].topic, `${state} topic`).to.equal(STAGE_TABLE[state].topic);
        expect(defaults[state].function_name, `${state} function`).to.equal(STAGE_TABLE[state].functionName);
      }
    });

    it('declares no stage the code lacks', () => {
      const extra = Object.keys(stageDefaults(tf)).filter((state) => !(STATES as readonly string[]).includes(state));
      expect(extra).to.deep.equal([]);
    });

    it("gives every stage the table's topic, function, timeout and memory", () => {
      expect(compareStages(STAGE_TABLE, stageDefaults(tf))).to.deep.equal([]);
    });

    it('mirrors the dead-letter topic and function', () => {
      expect(compareStage('dead_letter', DEAD_LETTER, variableDefault(tf, 'dead_letter') as StageDefault)).to.deep.equal([]);
    });

    it('mirrors the delivery policy (5 attempts, 10 s to 600 s backoff)', () => {
      expect(compareDeliveryPolicy(tf, DELIVERY_POLICY)).to.deep.equal([]);
      expect(variableDefault(tf, 'max_delivery_attempts')).to.equal(5);
      expect(variableDefault(tf, 'minimum_backoff')).to.equal('10s');
      expect(variableDefault(tf, 'maximum_backoff')).to.equal('600s');
      expect(variableDefault(tf, 'runtime')).to.equal('nodejs20');
    });
  });

  describe('the steps variable mirrors the step table', () => {
    it('declares every step of the step table with its state, topic, function, timeout and memory', () => {
      const defaults = stepDefaults(tf);
      for (const kind of STEPS) {
        expect(defaults, kind).to.have.property(kind);
        expect(defaults[kind].topic, `${kind} topic`).to.equal(STEP_TABLE[kind].topic);
        expect(defaults[kind].function_name, `${kind} function`).to.equal(STEP_TABLE[kind].functionName);
      }
      expect(compareSteps(STEP_TABLE, defaults)).to.deep.equal([]);
    });

    it('declares no step the code lacks', () => {
      const extra = Object.keys(stepDefaults(tf)).filter((kind) => !(STEPS as readonly string[]).includes(kind));
      expect(extra).to.deep.equal([]);
    });

    it('gives every step of the table its topic, function and dead-lettered, retried push subscription', () => {
      expect(missingInstances(tf, STEPS, PER_STEP_RESOURCES)).to.deep.equal([]);
      expect(notDeadLettered(tf, STEPS)).to.deep.equal([]);
      expect(stageSubscriptionProblems(tf), 'the shared subscription resource').to.deep.equal([]);
      expect(stageFunctionProblems(tf), 'the shared function resource').to.deep.equal([]);
    });

    it('gives every stage of the table the same, so the shared resources still cover them', () => {
      expect(missingInstances(tf, STATES, PER_STAGE_RESOURCES)).to.deep.equal([]);
      expect(notDeadLettered(tf, STATES)).to.deep.equal([]);
      expect(notDeadLettered(tf, [DEAD_LETTER_KEY]), 'the dead-letter subscription forwards nowhere').to.deep.equal([DEAD_LETTER_KEY]);
    });

    it('pushes to exactly the stages, the steps, the dead-letter handler and the services', () => {
      expect(tf.localValues.pipeline_functions).to.equal(PIPELINE_FUNCTIONS);
      expect(tf.localValues.pushed_functions).to.equal(PUSHED_FUNCTIONS);
      expect(pushedFunctionsProblems(tf, STATES, STEPS, SERVICES)).to.deep.equal([]);
      expect(instanceKeys(tf, 'google_pubsub_topic.stage')).to.have.members([...STATES, ...STEPS]);
      expect(instanceKeys(tf, 'google_pubsub_subscription.stage')).to.have.members([...STATES, ...STEPS, DEAD_LETTER_KEY, ...SERVICES]);
    });

    it('keeps step keys apart from stage keys and DEAD_LETTER, and every step on a stage', () => {
      const steps = Object.keys(stepDefaults(tf));
      expect(steps.filter((kind) => kind.toUpperCase() in stageDefaults(tf) || kind.toUpperCase() === DEAD_LETTER_KEY)).to.deep.equal([]);
      for (const [kind, step] of Object.entries(stepDefaults(tf))) expect(stageDefaults(tf), `${kind}.state`).to.have.property(step.state);

      const validations = blocks(tf.variables.steps, 'validation').map((validation) => String(validation.condition));
      expect(validations).to.include(`\${!contains(keys(var.steps), "${DEAD_LETTER_KEY}")}`);
      for (const field of ['topic', 'function_name', 'timeout_sec', 'memory_mib']) {
        expect(validations.some((condition) => condition.includes(`s.${field}`)), `a validation of ${field}`).to.equal(true);
      }
      // What needs var.stages as well is checked on plan by preconditions of the topic resource.
      const topic = resource(tf, 'google_pubsub_topic', 'stage');
      const preconditions = blocks(blocks(topic, 'lifecycle')[0] ?? {}, 'precondition').map((precondition) => String(precondition.condition));
      expect(preconditions.join('\n')).to.include('contains(keys(var.stages), step.state)');
      expect(preconditions.join('\n')).to.include('length(var.stages) + length(var.steps) + length(var.services) + 1');
      expect(preconditions.join('\n')).to.include('pushed.topic');
      expect(preconditions.join('\n')).to.include('local.pushed_function_names');
    });

    it('warns about every stage or step whose timeout outlives the 600 s push deadline', () => {
      const check = tf.files.flatMap(({ json }) => blocks(json, 'check')).map((block) => block.stage_timeouts_fit_push_deadline)[0];
      const assert = blocks(body(check), 'assert')[0];
      expect(assert.condition).to.equal('${alltrue([for pushed in values(local.pushed_functions) : pushed.timeout_sec <= 600])}');
      for (const [key, spec] of Object.entries({ ...STAGE_TABLE, ...STEP_TABLE, DEAD_LETTER, ...SERVICE_TABLE })) {
        expect(spec.timeoutSec, `${key} fits the push deadline`).to.be.at.most(600);
      }
    });

    it('outputs the topic, subscription and function of every step', () => {
      const outputs = Object.fromEntries(tf.files.flatMap(({ json }) => Object.entries((json.output ?? {}) as Record<string, unknown>)));
      for (const name of ['step_topics', 'step_subscriptions', 'step_functions']) {
        expect(outputs, name).to.have.property(name);
        expect(String(body(outputs[name]).value), name).to.match(/^\$\{\{ for kind in keys\(var\.steps\) : kind => /);
      }
    });
  });

  describe('the services variable mirrors the service table', () => {
    it("gives every service the table's topic, function, timeout, memory, schedule, delivery policy and dead-letter topic", () => {
      expect(compareServices(SERVICE_TABLE, serviceDefaults(tf))).to.deep.equal([]);
      expect(Object.keys(serviceDefaults(tf))).to.have.members([...SERVICES]);
    });

    it('gives every service its topic, function, invoker grant and push subscription with its own policy', () => {
      expect(missingInstances(tf, SERVICES, PER_SERVICE_RESOURCES)).to.deep.equal([]);
      expect(resource(tf, 'google_pubsub_topic', 'service').name).to.equal('${each.value.topic}');
      expect(notDeadLettered(tf, DEAD_LETTERED_SERVICES)).to.deep.equal([]);
      expect(notDeadLettered(tf, SERVICES.filter((name) => !DEAD_LETTERED_SERVICES.includes(name)))).to.have.length(SERVICES.length - DEAD_LETTERED_SERVICES.length);
      // The Pub/Sub agent acknowledges a dead letter on every subscription that forwards one.
      expect(missingInstances(tf, [...STATES, ...STEPS, ...DEAD_LETTERED_SERVICES], ['google_pubsub_subscription_iam_member.pubsub_agent_subscriber'])).to.deep.equal([]);
      expect(instanceKeys(tf, 'google_pubsub_subscription_iam_member.pubsub_agent_subscriber')).not.to.include(DEAD_LETTER_KEY);
    });

    it('fires every scheduled service, and only those, from Cloud Scheduler on its cron, publishing to its topic', () => {
      expect(instanceKeys(tf, 'google_cloud_scheduler_job.service')).to.have.members(SCHEDULED);
      expect(instanceKeys(tf, 'google_pubsub_topic_iam_member.scheduler_publisher')).to.have.members(SCHEDULED);
      const job = resource(tf, 'google_cloud_scheduler_job', 'service');
      expect(job).to.include({ schedule: '${each.value.schedule.cron}', time_zone: '${each.value.schedule.time_zone}' });
      const target = blocks(job, 'pubsub_target')[0];
      expect(target.topic_name).to.equal('${google_pubsub_topic.service[each.key].id}');
      // The body only names the service: the function reads the firing from the publish time.
      expect(target.data).to.equal('${base64encode(jsonencode({ service = each.key }))}');
      expect(resource(tf, 'google_pubsub_topic_iam_member', 'scheduler_publisher').role).to.equal('roles/pubsub.publisher');
    });

    it('checks on plan that a dead-letter topic is a topic of the configuration and not the subscription\'s own', () => {
      const subscription = resource(tf, 'google_pubsub_subscription', 'stage');
      const preconditions = blocks(blocks(subscription, 'lifecycle')[0] ?? {}, 'precondition').map((precondition) => String(precondition.condition));
      expect(preconditions.join('\n')).to.include('contains(keys(local.topic_ids_by_name)').and.include('!= each.value.topic');
      const topicNames = new Set([DEAD_LETTER.topic, ...SERVICES.map((name) => SERVICE_TABLE[name].topic)]);
      for (const name of DEAD_LETTERED_SERVICES) expect(topicNames, name).to.include(SERVICE_TABLE[name].deadLetterTopic);
    });

    it('outputs the topic, subscription and function of every service and the scheduler jobs', () => {
      const outputs = Object.fromEntries(tf.files.flatMap(({ json }) => Object.entries((json.output ?? {}) as Record<string, unknown>)));
      for (const name of ['service_topics', 'service_subscriptions', 'service_functions', 'scheduler_jobs']) expect(outputs, name).to.have.property(name);
    });
  });

  describe('the checker reports what is wrong (the tests above can fail)', () => {
    it('reports a service removed from the default, or whose schedule, delivery or dead-letter topic differs', () => {
      const broken = copyOf(tf);
      const services = serviceDefaults(broken);
      const [first] = SERVICES;
      services[first].schedule = { cron: '0 * * * *', time_zone: 'Etc/UTC' };
      services[first].delivery.max_delivery_attempts = 7;
      services[first].dead_letter_topic = null;
      expect(compareServices(SERVICE_TABLE, services)).to.deep.equal([
        `${first}.schedule.cron: terraform has "0 * * * *", the service table ${JSON.stringify(SERVICE_TABLE[first].schedule?.cron)}`,
        `${first}.delivery.max_delivery_attempts: terraform has 7, the service table ${SERVICE_TABLE[first].delivery.maxDeliveryAttempts}`,
        `${first}.dead_letter_topic: terraform has undefined, the service table ${JSON.stringify(SERVICE_TABLE[first].deadLetterTopic)}`,
      ]);
      expect(notDeadLettered(broken, [first])).to.deep.equal([first]);
      delete services[first];
      expect(compareServices(SERVICE_TABLE, services)).to.deep.equal([`${first}: missing from terraform`]);
      expect(missingInstances(broken, [first], PER_SERVICE_RESOURCES)).to.deep.equal(PER_SERVICE_RESOURCES.map((address) => `${first}: no ${address}`));
      expect(instanceKeys(broken, 'google_cloud_scheduler_job.service')).not.to.include(first);
    });

    it('reports a service the code lacks', () => {
      const services = { ...structuredClone(serviceDefaults(tf)), audit: { ...structuredClone(serviceDefaults(tf)[SERVICES[0]]), topic: 'aiprod-audit' } };
      expect(compareServices(SERVICE_TABLE, services)).to.deep.equal(['audit: declared in terraform but not a service of the service table']);
    });

    it('reports subscriptions whose retry or dead-letter policy is not their entry\'s', () => {
      const broken = copyOf(tf);
      const subscription = resource(broken, 'google_pubsub_subscription', 'stage');
      blocks(subscription, 'retry_policy')[0].minimum_backoff = '${var.minimum_backoff}';
      broken.localValues.pushed_delivery = String(broken.localValues.pushed_delivery).replace('service.dead_letter_topic', 'var.dead_letter.topic');
      expect(stageSubscriptionProblems(broken)).to.deep.equal([
        'local.pushed_delivery is not the delivery policy of the tables',
        "ignores its entry's minimum_backoff",
      ]);
      expect(notDeadLettered(broken, DEAD_LETTERED_SERVICES)).to.deep.equal(DEAD_LETTERED_SERVICES);
    });

    it('reports a scheduler job that lists its services by hand', () => {
      const broken = copyOf(tf);
      resource(broken, 'google_cloud_scheduler_job', 'service').for_each = '${{ for key, service in var.services : key => service }}';
      expect(instanceKeys(broken, 'google_cloud_scheduler_job.service')).to.be.a('string');
    });

    it('reports a step removed from the default', () => {
      const broken = copyOf(tf);
      delete stepDefaults(broken).scene;
      expect(compareSteps(STEP_TABLE, stepDefaults(broken))).to.deep.equal(['scene: missing from terraform']);
      expect(missingInstances(broken, STEPS, PER_STEP_RESOURCES)).to.deep.equal(PER_STEP_RESOURCES.map((address) => `scene: no ${address}`));
      expect(notDeadLettered(broken, STEPS)).to.deep.equal(['scene']);
      expect(pushedFunctionsProblems(broken, STATES, STEPS, SERVICES)).to.deep.equal(['scene: missing from local.pushed_functions']);
    });

    it('reports a step the code lacks, or a step whose values differ from the table', () => {
      const steps = structuredClone(stepDefaults(tf));
      steps.thumbnail = { state: 'RENDERING', topic: 'aiprod-thumbnail', function_name: 'makeThumbnail', timeout_sec: 60, memory_mib: 256 };
      steps.assemble.state = 'QA_TECH';
      steps.scene.memory_mib = 512;
      expect(compareSteps(STEP_TABLE, steps)).to.deep.equal([
        'scene.memory_mib: terraform has 512, the step table 2048',
        'assemble.state: terraform has "QA_TECH", the step table "RENDERING"',
        'thumbnail: declared in terraform but not a step of the step table',
      ]);
    });

    it('reports a topic, function or subscription that leaves the steps out', () => {
      const broken = copyOf(tf);
      broken.localValues.pipeline_functions = '${var.stages}';
      expect(pushedFunctionsProblems(broken, STATES, STEPS, SERVICES)).to.deep.equal(STEPS.map((kind) => `${kind}: missing from local.pushed_functions`));
      expect(missingInstances(broken, ['scene'], PER_STEP_RESOURCES)).to.have.length(PER_STEP_RESOURCES.length);
      expect(notIteratingPipeline(broken, PER_STAGE_RESOURCES)).to.deep.equal(PER_STAGE_RESOURCES);
    });

    it('reports pushed functions beyond the stages, steps, dead-letter handler and services, or services left out', () => {
      const broken = copyOf(tf);
      broken.localValues.pushed_functions = '${merge(local.pipeline_functions, { DEAD_LETTER = var.dead_letter, AUDIT = var.audit })}';
      expect(pushedFunctionsProblems(broken, STATES, STEPS, SERVICES)).to.deep.equal([
        ...SERVICES.map((name) => `${name}: missing from local.pushed_functions`),
        'AUDIT: in local.pushed_functions but neither a stage, a step, a service nor DEAD_LETTER',
      ]);
    });

    it('reports a stage removed from the default', () => {
      const broken = copyOf(tf);
      const stages = stageDefaults(broken);
      delete stages.RENDERING;
      expect(compareStages(STAGE_TABLE, stages)).to.deep.equal(['RENDERING: missing from terraform']);
    });

    it('reports a stage the code lacks', () => {
      const stages: Record<string, StageDefault> = {
        ...stageDefaults(tf),
        ARCHIVED: { topic: 'aiprod-archived', function_name: 'archiveJob', timeout_sec: 60, memory_mib: 256 },
      };
      expect(compareStages(STAGE_TABLE, stages)).to.deep.equal(['ARCHIVED: declared in terraform but not a state of the stage table']);
    });

    it('reports a timeout, memory, topic or function that differs from the table', () => {
      const stages = structuredClone(stageDefaults(tf));
      stages.QA_TECH.timeout_sec = 30;
      stages.QA_TECH.memory_mib = 128;
      stages.SUBMITTED.topic = 'aiprod-new';
      stages.DELIVERED.function_name = 'closeJob';
      const problems = compareStages(STAGE_TABLE, stages);
      expect(problems).to.have.length(4);
      expect(problems.join('\n')).to.include('QA_TECH.timeout_sec').and.include('QA_TECH.memory_mib');
      expect(problems.join('\n')).to.include('SUBMITTED.topic').and.include('DELIVERED.function_name');
    });

    it('reports a per-stage resource that lists stages instead of iterating var.stages', () => {
      const broken = copyOf(tf);
      resource(broken, 'google_pubsub_topic', 'stage').for_each = '${{ SUBMITTED = var.stages.SUBMITTED }}';
      expect(notIteratingPipeline(broken, PER_STAGE_RESOURCES)).to.deep.equal(['google_pubsub_topic.stage']);
    });

    it('reports a subscription without a dead-letter or retry policy', () => {
      const broken = copyOf(tf);
      const subscription = resource(broken, 'google_pubsub_subscription', 'stage');
      delete subscription.dead_letter_policy;
      delete subscription.dynamic;
      delete subscription.retry_policy;
      expect(stageSubscriptionProblems(broken)).to.deep.equal(['has no dead_letter_policy', 'has no retry_policy']);
    });

    it('reports a dead_letter_policy that skips more than the dead-letter subscription', () => {
      const broken = copyOf(tf);
      const subscription = resource(broken, 'google_pubsub_subscription', 'stage');
      blocks(blocks(subscription, 'dynamic')[0], 'dead_letter_policy')[0].for_each = '${each.key == "QA_TECH" ? [] : [each.key]}';
      expect(stageSubscriptionProblems(broken)).to.deep.equal(['does not take its dead_letter_policy from local.pushed_delivery']);
      expect(notDeadLettered(broken, ['QA_TECH', 'SUBMITTED'])).to.deep.equal(['QA_TECH', 'SUBMITTED']);
    });

    it('reports pushed functions that are not exactly the stages and steps plus the dead-letter handler', () => {
      const broken = copyOf(tf);
      broken.localValues.pushed_functions = '${merge(local.pipeline_functions, var.extra, { DEAD_LETTER = var.dead_letter })}';
      expect(notIteratingPipeline(broken, PER_STAGE_RESOURCES)).to.include('google_cloudfunctions2_function.stage');
    });

    it('reports a stage function that also has an Eventarc trigger', () => {
      const broken = copyOf(tf);
      resource(broken, 'google_cloudfunctions2_function', 'stage').event_trigger = [
        { event_type: 'google.cloud.pubsub.topic.v1.messagePublished', pubsub_topic: '${google_pubsub_topic.stage[each.key].id}' },
      ];
      expect(stageFunctionProblems(broken)).to.deep.equal(['has an event_trigger as well as the push subscription']);
    });

    it('reports a variable that is used but not declared', () => {
      const broken = copyOf(tf);
      delete broken.variables.minimum_backoff;
      expect(undeclaredVariables(broken)).to.deep.equal(['minimum_backoff']);
    });

    it('reports a local or resource that is referenced but not declared', () => {
      const broken = copyOf(tf);
      broken.locals.delete('service_account_email');
      delete broken.resources.google_pubsub_topic.dead_letter;
      expect(undeclaredLocals(broken)).to.deep.equal(['service_account_email']);
      expect(undeclaredResources(broken)).to.deep.equal(['google_pubsub_topic.dead_letter']);
    });

    it('reports a delivery policy that differs from DELIVERY_POLICY', () => {
      const broken = copyOf(tf);
      broken.variables.max_delivery_attempts.default = 10;
      expect(compareDeliveryPolicy(broken, DELIVERY_POLICY)).to.have.length(1);
    });
  });

  describe('resources', () => {
    it('creates the topic, subscription and function of every stage and step by iterating the stages and steps', () => {
      expect(notIteratingPipeline(tf, PER_STAGE_RESOURCES)).to.deep.equal([]);
    });

    it('names each stage topic after the stages variable', () => {
      expect(resource(tf, 'google_pubsub_topic', 'stage').name).to.equal('${each.value.topic}');
    });

    it('gives every stage subscription the dead-letter and retry policy and an authenticated push to its function', () => {
      expect(stageSubscriptionProblems(tf)).to.deep.equal([]);
    });

    it('deploys every stage function with its entry point, timeout and memory, fed only by its subscription', () => {
      expect(stageFunctionProblems(tf)).to.deep.equal([]);
    });

    it('has no function with an Eventarc trigger (every message is delivered once, by our subscription)', () => {
      for (const [name, fn] of Object.entries(tf.resources.google_cloudfunctions2_function ?? {})) {
        expect(blocks(fn, 'event_trigger'), name).to.deep.equal([]);
      }
    });

    it('declares the dead-letter topic, its handler function and its subscriptions', () => {
      expect(resource(tf, 'google_pubsub_topic', 'dead_letter').name).to.equal('${var.dead_letter.topic}');
      // The handler, its push subscription and its invoker grant are the DEAD_LETTER instances of the stage resources.
      expect(tf.localValues.pushed_functions).to.equal(`\${merge(local.pipeline_functions, { ${DEAD_LETTER_KEY} = var.dead_letter }, var.services)}`);
      expect(tf.localValues.pushed_topic_ids).to.include(`${DEAD_LETTER_KEY} = google_pubsub_topic.dead_letter.id`);
      for (const address of ['google_cloudfunctions2_function.stage', 'google_pubsub_subscription.stage', 'google_cloud_run_v2_service_iam_member.stage_invoker']) {
        const [type, name] = address.split('.');
        expect(resource(tf, type, name).for_each, address).to.equal('${local.pushed_functions}');
      }
      expect(stageDefaults(tf), 'no stage may take the dead-letter key').not.to.have.property(DEAD_LETTER_KEY);
      const stagesValidations = blocks(tf.variables.stages, 'validation').map((validation) => validation.condition);
      expect(stagesValidations).to.include(`\${!contains(keys(var.stages), "${DEAD_LETTER_KEY}")}`);

      // ... and state moves there from the resources they used to be.
      expect(movedBlocks(tf)).to.deep.equal({
        '${google_cloudfunctions2_function.dead_letter}': `\${google_cloudfunctions2_function.stage["${DEAD_LETTER_KEY}"]}`,
        '${google_pubsub_subscription.dead_letter}': `\${google_pubsub_subscription.stage["${DEAD_LETTER_KEY}"]}`,
        '${google_cloud_run_v2_service_iam_member.dead_letter_invoker}': `\${google_cloud_run_v2_service_iam_member.stage_invoker["${DEAD_LETTER_KEY}"]}`,
      });

      const archive = resource(tf, 'google_pubsub_subscription', 'dead_letter_archive');
      expect(archive.topic).to.equal('${google_pubsub_topic.dead_letter.id}');
      expect(archive.push_config, 'the archive is a pull subscription').to.equal(undefined);
    });

    it('lets the Pub/Sub service agent publish dead letters and acknowledge them on the stage subscriptions', () => {
      const publisher = resource(tf, 'google_pubsub_topic_iam_member', 'pubsub_agent_dead_letter_publisher');
      expect(publisher.topic).to.equal('${google_pubsub_topic.dead_letter.name}');
      expect(publisher.role).to.equal('roles/pubsub.publisher');
      const subscriber = resource(tf, 'google_pubsub_subscription_iam_member', 'pubsub_agent_subscriber');
      expect(subscriber.subscription).to.equal('${google_pubsub_subscription.stage[each.key].name}');
      expect(subscriber.role).to.equal('roles/pubsub.subscriber');
    });

    it('deploys the HTTP api function with entry point api', () => {
      const api = resource(tf, 'google_cloudfunctions2_function', 'api');
      expect(blocks(api, 'build_config')[0].entry_point).to.equal('${var.api_function.entry_point}');
      expect((variableDefault(tf, 'api_function') as { entry_point: string }).entry_point).to.equal('api');
    });

    it('grants the pipeline service account its roles', () => {
      expect(variableDefault(tf, 'service_account_project_roles')).to.include('roles/datastore.user');
      expect(resource(tf, 'google_pubsub_topic_iam_member', 'pipeline_publisher').role).to.equal('roles/pubsub.publisher');
      const media = resource(tf, 'google_storage_bucket_iam_member', 'pipeline_media');
      expect(media.role).to.equal('roles/storage.objectAdmin');
      expect(media.bucket).to.equal('${google_storage_bucket.media.name}');
      expect(resource(tf, 'google_cloud_run_v2_service_iam_member', 'stage_invoker').role).to.equal('roles/run.invoker');
    });

    it('keeps the media bucket private and versioned, and expires scratch objects', () => {
      const media = resource(tf, 'google_storage_bucket', 'media');
      expect(media.uniform_bucket_level_access).to.equal(true);
      expect(blocks(media, 'versioning')[0].enabled).to.equal(true);
      const scratch = blocks(media, 'lifecycle_rule').find((rule) => blocks(rule, 'condition')[0].matches_prefix !== undefined);
      expect(scratch, 'scratch lifecycle rule').not.to.equal(undefined);
      expect(blocks(scratch!, 'condition')[0].matches_prefix).to.deep.equal(['${var.scratch_prefix}']);
      expect(blocks(scratch!, 'action')[0].type).to.equal('Delete');
    });

    it('creates a native-mode (default) Firestore database unless told to use an existing one', () => {
      const database = resource(tf, 'google_firestore_database', 'default');
      expect(database.count).to.equal('${var.create_firestore_database ? 1 : 0}');
      expect(database.type).to.equal('FIRESTORE_NATIVE');
      expect(database.name).to.equal('${local.firestore_database}');
    });
  });

  describe('monitoring', () => {
    const policies = () => Object.entries(tf.resources.google_monitoring_alert_policy ?? {});
    const conditionFilters = (policy: HclBody) =>
      blocks(policy, 'conditions').flatMap((condition) => [...blocks(condition, 'condition_threshold'), ...blocks(condition, 'condition_absent')]).map((c) => String(c.filter));

    it('alerts on error rate, stage latency, cost per job, dead-letter depth, the DR check and budgets, notifying the channels given', () => {
      expect(policies().map(([name]) => name)).to.have.members(['error_rate', 'stage_latency', 'cost_per_job', 'dead_letter_depth', 'dr_check', 'budget']);
      for (const [name, policy] of policies()) {
        expect(policy.notification_channels, name).to.equal('${var.notification_channels}');
        expect(conditionFilters(policy), name).to.have.length.greaterThan(0);
        expect(blocks(policy, 'conditions').length, `${name}: at most 6 conditions per policy`).to.be.at.most(6);
      }
    });

    it('watches only metrics the configuration defines: its log-based metrics, or the dead-letter archive subscription', () => {
      for (const [name, policy] of policies()) {
        for (const filter of conditionFilters(policy)) {
          const metric = /logging\.googleapis\.com\/user\/\$\{google_logging_metric\.(\w+)\.name\}/.exec(filter)?.[1];
          if (metric !== undefined) expect(tf.resources.google_logging_metric, `${name} watches ${metric}`).to.have.property(metric);
          else expect(filter, name).to.equal('metric.type="pubsub.googleapis.com/subscription/num_undelivered_messages" AND resource.type="pubsub_subscription" AND resource.label.subscription_id="${google_pubsub_subscription.dead_letter_archive.name}"');
        }
      }
    });

    it('filters on fields the logger writes, and the DR alert on the value the DR check logs', () => {
      const written = ['jobId', 'stage', 'step', 'service', 'durationMs', 'costUsd', 'jobCostUsd', 'drReport', 'alert', 'rpoSec', 'rtoSec'];
      for (const metric of Object.keys(tf.resources.google_logging_metric)) {
        for (const field of payloadFields(metricFilter(tf, metric))) expect(written, `${metric}: jsonPayload.${field}`).to.include(field);
      }
      expect(metricFilter(tf, 'dr_check_alerts')).to.include(`jsonPayload.alert="${DR_ALERT}"`);
      expect(resource(tf, 'google_logging_metric', 'stage_latency').value_extractor).to.equal('EXTRACT(jsonPayload.durationMs)');
      expect(resource(tf, 'google_logging_metric', 'cost_per_job').value_extractor).to.equal('EXTRACT(jsonPayload.jobCostUsd)');
      // Every function this configuration deploys is one the filters read the lines of.
      expect(String(tf.localValues.function_logs)).to.include('resource.labels.service_name=~"^${var.name_prefix}-"');
      expect(String(tf.localValues.pushed_function_names)).to.include('key => "${var.name_prefix}-${lower(');
    });

    it('opens an incident when no DR check reported for as long as Cloud Monitoring allows (23.5 h): three missed checks', () => {
      const absence = Number(String(variableDefault(tf, 'dr_check_absence')).replace(/s$/, ''));
      expect(absence % 60).to.equal(0);
      expect(absence).to.be.at.most(23.5 * 3600);
      const sixHours = 6 * 3600;
      expect(SERVICE_TABLE['dr-check'].schedule?.cron).to.equal('0 */6 * * *');
      expect(Math.floor(absence / sixHours)).to.equal(3);
    });

    it('gives every stage and step a latency policy against its own timeout', () => {
      expect(instanceKeys(tf, 'google_monitoring_alert_policy.stage_latency')).to.have.members([...STATES, ...STEPS]);
      const threshold = blocks(blocks(resource(tf, 'google_monitoring_alert_policy', 'stage_latency'), 'conditions')[0], 'condition_threshold')[0];
      expect(threshold.threshold_value).to.equal('${each.value.timeout_sec * 1000 * var.latency_alert_ratio}');
      expect(threshold.filter).to.include('resource.label.service_name="${local.pushed_function_names[each.key]}"');
    });
  });

  describe('backups and the DR scratch database', () => {
    it('keeps backups private, unversioned, under a retention policy, cooled and then deleted', () => {
      const bucket = resource(tf, 'google_storage_bucket', 'backups');
      expect(bucket).to.include({ uniform_bucket_level_access: true, public_access_prevention: 'enforced' });
      expect(bucket.versioning, 'a bucket with a retention policy cannot be versioned').to.equal(undefined);
      expect(blocks(bucket, 'retention_policy')[0].retention_period).to.equal('${var.backup_retention_days * 86400}');
      const actions = blocks(bucket, 'lifecycle_rule').map((rule) => [blocks(rule, 'action')[0].type, blocks(rule, 'condition')[0].age]);
      expect(actions).to.deep.equal([
        ['SetStorageClass', '${var.backup_coldline_after_days}'],
        ['Delete', '${var.backup_delete_after_days}'],
      ]);
      const preconditions = blocks(blocks(bucket, 'lifecycle')[0], 'precondition').map((p) => String(p.condition));
      expect(preconditions).to.include('${var.backup_delete_after_days >= var.backup_retention_days}');
    });

    it('lets Firestore write exports there and the functions start exports and imports', () => {
      expect(String(resource(tf, 'google_storage_bucket_iam_member', 'firestore_agent_backups').member)).to.include('gcp-sa-firestore.iam.gserviceaccount.com');
      expect(variableDefault(tf, 'service_account_project_roles')).to.include('roles/datastore.importExportAdmin');
    });

    it('restores into a scratch database of its own, and tells the functions both names', () => {
      const scratch = resource(tf, 'google_firestore_database', 'dr_scratch');
      expect(scratch).to.include({ name: '${var.dr_scratch_database}', type: 'FIRESTORE_NATIVE' });
      const environment = String(tf.localValues.function_environment);
      expect(environment).to.include('AIPROD_BACKUP_BUCKET       = google_storage_bucket.backups.name');
      expect(environment).to.include('AIPROD_DR_SCRATCH_DATABASE = google_firestore_database.dr_scratch.name');
    });

    it('expires the records of scheduled firings with a TTL policy', () => {
      const ttl = resource(tf, 'google_firestore_field', 'ttl');
      expect(ttl.for_each).to.contain('firings');
      expect(ttl).to.include({ collection: '${each.value}', field: 'expireAt' });
    });
  });

  describe('API access', () => {
    it('releases firestore.rules, the file the emulator tests, as the (default) database rules', () => {
      const ruleset = resource(tf, 'google_firebaserules_ruleset', 'firestore');
      const files = blocks(blocks(ruleset, 'source')[0], 'files')[0];
      expect(files.name).to.equal('firestore.rules');
      expect(files.content).to.contain('../firestore.rules');
      expect(readFileSync(path.resolve(__dirname, '../../firestore.rules'), 'utf8')).to.contain('match /jobs/{jobId}');
      const release = resource(tf, 'google_firebaserules_release', 'firestore');
      expect(release.name).to.equal('cloud.firestore');
      expect(release.ruleset_name).to.contain('google_firebaserules_ruleset.firestore.name');
    });

    it('indexes the job list for every mix of the fields it filters on, newest first', () => {
      const filtered = Object.entries(JOB_FILTER_PATHS)
        .filter(([field]) => field !== 'createdAt')
        .map(([, path]) => path);
      const mixes = (variableDefault(tf, 'job_list_index_fields') as string[][]).map((mix) => [...mix].sort().join('+'));
      const subsets = filtered.reduce<string[][]>((all, field) => [...all, ...all.map((subset) => [...subset, field])], [[]]);
      expect(mixes).to.have.members(subsets.map((subset) => [...subset].sort().join('+')));
      const jobIndexes = String(tf.localValues.job_list_indexes);
      expect(jobIndexes).to.include('collection = "jobs"');
      expect(jobIndexes).to.include('[["tenant", "ASCENDING"]]');
      expect(jobIndexes).to.include('[["createdAt", "DESCENDING"]]');
      expect(String(JSON.stringify(tf.localValues.firestore_indexes))).to.contain('local.job_list_indexes');
    });

    it('indexes the audit log and API key lists, and expires rate-limit counters', () => {
      const indexes = String(JSON.stringify(tf.localValues.firestore_indexes));
      for (const name of ['audit_log_by_tenant', 'audit_log_by_action', 'audit_log_by_target', 'api_keys_by_tenant']) expect(indexes).to.contain(name);
      expect(resource(tf, 'google_firestore_field', 'ttl').for_each).to.contain('rate_limits');
    });

    it('opens the API to callers it authenticates itself, and passes it the CORS allow-list and rate limits', () => {
      expect(variableDefault(tf, 'api_invokers')).to.deep.equal(['allUsers']);
      const environment = String(tf.localValues.function_environment);
      expect(environment).to.include('AIPROD_CORS_ORIGINS');
      expect(environment).to.include('AIPROD_RATE_LIMIT_PER_PRINCIPAL = tostring(var.api_rate_limits.per_principal)');
      expect(environment).to.include('AIPROD_RATE_LIMIT_PER_IP        = tostring(var.api_rate_limits.per_ip)');
      expect(variableDefault(tf, 'activate_apis')).to.include.members(['identitytoolkit.googleapis.com', 'firebaserules.googleapis.com']);
    });
  });

  describe('webhooks', () => {
    it('expires the delivery log with a TTL policy on the field the delivery log writes', () => {
      expect(resource(tf, 'google_firestore_field', 'ttl').for_each).to.contain('webhook_deliveries');
    });

    it('indexes the webhook and delivery-log queries that order after an equality, one index resource for all', () => {
      const indexes = String(JSON.stringify(tf.localValues.firestore_indexes));
      expect(indexes).to.contain('webhooks_by_tenant = {\\n      collection = \\"webhooks\\"');
      expect(indexes).to.contain('[[\\"tenant\\", \\"ASCENDING\\"], [\\"webhookId\\", \\"ASCENDING\\"], [\\"createdAt\\", \\"DESCENDING\\"]]');
      const index = resource(tf, 'google_firestore_index', 'query');
      expect(index).to.include({ for_each: '${local.firestore_indexes}', collection: '${each.value.collection}' });
      const fields = body(blocks(index, 'dynamic')[0].fields);
      expect(fields.for_each).to.equal('${each.value.fields}');
      expect(blocks(fields, 'content')[0]).to.include({ field_path: '${fields.value[0]}', order: '${fields.value[1]}' });
    });

    it('hands deliveries Pub/Sub gives up on to their own dead-letter service, which forwards nowhere', () => {
      expect(SERVICE_TABLE['webhook-deliveries'].deadLetterTopic).to.equal(SERVICE_TABLE['webhook-dead-letters'].topic);
      expect(serviceDefaults(tf)['webhook-deliveries'].dead_letter_topic).to.equal(SERVICE_TABLE['webhook-dead-letters'].topic);
      expect(serviceDefaults(tf)['webhook-dead-letters'].dead_letter_topic).to.equal(undefined);
    });
  });

  describe('references', () => {
    it('declares every variable it uses', () => {
      expect(undeclaredVariables(tf)).to.deep.equal([]);
    });

    it('declares every local it uses', () => {
      expect(undeclaredLocals(tf)).to.deep.equal([]);
    });

    it('declares every resource and data source it references', () => {
      expect(undeclaredResources(tf)).to.deep.equal([]);
    });

    it('describes every variable and output', () => {
      for (const [name, variable] of Object.entries(tf.variables)) expect(variable.description, `variable ${name}`).to.be.a('string');
      const outputs = tf.files.flatMap(({ json }) => Object.entries((json.output ?? {}) as Record<string, unknown>));
      expect(outputs.map(([name]) => name)).to.include.members(['api_uri', 'stage_topics', 'media_bucket']);
    });
  });
});
