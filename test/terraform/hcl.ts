// Reads terraform/*.tf with @cdktf/hcl2json and checks the configuration against the stage table.
//
// hcl2json turns every block into an array of bodies (`resource.<type>.<name>[0]`, `variable.<name>[0]`) and every
// expression into a string such as "${var.stages}"; literal values stay JSON values.
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { parse } from '@cdktf/hcl2json';

export const TERRAFORM_DIR = path.resolve(__dirname, '..', '..', 'terraform');

export type HclBody = Record<string, unknown>;

export interface TerraformFile {
  file: string;
  json: HclBody;
}

export interface Terraform {
  files: TerraformFile[];
  /** `variable` blocks of every file, by name. */
  variables: Record<string, HclBody>;
  /** `resource` blocks of every file, by type and name. */
  resources: Record<string, Record<string, HclBody>>;
  /** `data` blocks of every file, by type and name. */
  data: Record<string, Record<string, HclBody>>;
  /** Names assigned in every `locals` block. */
  locals: Set<string>;
  /** The expression assigned to each local, as hcl2json renders it. */
  localValues: Record<string, unknown>;
}

/** The parts of a stage spec Terraform mirrors (StageSpec and DEAD_LETTER both fit). */
export interface StageLike {
  topic: string;
  functionName: string;
  timeoutSec: number;
  memoryMiB: number;
}

/** A stage as the `stages` variable declares it. */
export interface StageDefault {
  topic: string;
  function_name: string;
  timeout_sec: number;
  memory_mib: number;
}

export function tfFiles(dir: string = TERRAFORM_DIR): string[] {
  return readdirSync(dir)
    .filter((name) => name.endsWith('.tf'))
    .sort()
    .map((name) => path.join(dir, name));
}

export async function parseFile(file: string): Promise<HclBody> {
  return (await parse(path.basename(file), readFileSync(file, 'utf8'))) as HclBody;
}

function isBody(value: unknown): value is HclBody {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

/** The single body of a block (hcl2json wraps each in an array). */
export function body(block: unknown): HclBody {
  const first = Array.isArray(block) ? block[0] : block;
  if (!isBody(first)) throw new Error(`not a block: ${JSON.stringify(block)}`);
  return first;
}

/** The bodies of a nested block that may repeat (e.g. `lifecycle_rule`), [] when it is absent. */
export function blocks(parent: HclBody, name: string): HclBody[] {
  const value = parent[name];
  if (value === undefined) return [];
  return (Array.isArray(value) ? value : [value]).filter(isBody);
}

function mergeTyped(into: Record<string, Record<string, HclBody>>, section: unknown): void {
  if (!isBody(section)) return;
  for (const [type, byName] of Object.entries(section)) {
    if (!isBody(byName)) continue;
    into[type] ??= {};
    for (const [name, block] of Object.entries(byName)) into[type][name] = body(block);
  }
}

export function collect(files: TerraformFile[]): Terraform {
  const tf: Terraform = { files, variables: {}, resources: {}, data: {}, locals: new Set(), localValues: {} };
  for (const { json } of files) {
    if (isBody(json.variable)) {
      for (const [name, block] of Object.entries(json.variable)) tf.variables[name] = body(block);
    }
    mergeTyped(tf.resources, json.resource);
    mergeTyped(tf.data, json.data);
    for (const localsBlock of blocks(json, 'locals')) {
      for (const [name, value] of Object.entries(localsBlock)) {
        tf.locals.add(name);
        tf.localValues[name] = value;
      }
    }
  }
  return tf;
}

export async function loadTerraform(dir: string = TERRAFORM_DIR): Promise<Terraform> {
  const files = await Promise.all(tfFiles(dir).map(async (file) => ({ file, json: await parseFile(file) })));
  return collect(files);
}

export function resource(tf: Terraform, type: string, name: string): HclBody {
  const found = tf.resources[type]?.[name];
  if (found === undefined) throw new Error(`terraform declares no resource ${type}.${name}`);
  return found;
}

/** Every string anywhere in a parsed value: where hcl2json puts the expressions. */
export function strings(value: unknown): string[] {
  if (typeof value === 'string') return [value];
  if (Array.isArray(value)) return value.flatMap(strings);
  if (isBody(value)) return Object.values(value).flatMap(strings);
  return [];
}

/** Every block but `moved`, whose `from` names an address that is meant to be gone. */
function withoutMoved(json: HclBody): HclBody {
  return Object.fromEntries(Object.entries(json).filter(([key]) => key !== 'moved'));
}

function referenced(tf: Terraform, pattern: RegExp): Set<string> {
  const names = new Set<string>();
  for (const { json } of tf.files) {
    for (const text of strings(withoutMoved(json))) for (const match of text.matchAll(pattern)) names.add(match[1]);
  }
  return names;
}

/** Variables referenced as var.X somewhere but declared in no `variable` block. */
export function undeclaredVariables(tf: Terraform): string[] {
  return [...referenced(tf, /\bvar\.([A-Za-z_][A-Za-z0-9_-]*)/g)].filter((name) => !(name in tf.variables)).sort();
}

/** Locals referenced as local.X somewhere but assigned in no `locals` block. */
export function undeclaredLocals(tf: Terraform): string[] {
  return [...referenced(tf, /\blocal\.([A-Za-z_][A-Za-z0-9_-]*)/g)].filter((name) => !tf.locals.has(name)).sort();
}

/** References to resources (google_*) and data sources (data.*) that no block declares, as "type.name". */
export function undeclaredResources(tf: Terraform): string[] {
  const missing = new Set<string>();
  for (const address of referenced(tf, /(?<![\w.])(google(?:_[a-z0-9]+)+\.[A-Za-z_][A-Za-z0-9_-]*)/g)) {
    const [type, name] = address.split('.');
    if (tf.resources[type]?.[name] === undefined) missing.add(address);
  }
  for (const address of referenced(tf, /(?<![\w.])data\.([a-z][a-z0-9_]*\.[A-Za-z_][A-Za-z0-9_-]*)/g)) {
    const [type, name] = address.split('.');
    if (tf.data[type]?.[name] === undefined) missing.add(`data.${address}`);
  }
  return [...missing].sort();
}

/** The default of variable `name`, or throws if the variable or its default is missing. */
export function variableDefault(tf: Terraform, name: string): unknown {
  const variable = tf.variables[name];
  if (variable === undefined) throw new Error(`variables.tf declares no variable "${name}"`);
  if (!('default' in variable)) throw new Error(`variable "${name}" has no default`);
  return variable.default;
}

/** The `stages` variable's default, by state. */
export function stageDefaults(tf: Terraform): Record<string, StageDefault> {
  const value = variableDefault(tf, 'stages');
  if (!isBody(value)) throw new Error('the default of variable "stages" is not a map');
  return value as Record<string, StageDefault>;
}

/** How one Terraform stage differs from its spec in the code; [] when they agree. */
export function compareStage(label: string, spec: StageLike, declared: Partial<StageDefault> | undefined): string[] {
  if (declared === undefined) return [`${label}: missing from terraform`];
  const pairs: [keyof StageDefault, unknown][] = [
    ['topic', spec.topic],
    ['function_name', spec.functionName],
    ['timeout_sec', spec.timeoutSec],
    ['memory_mib', spec.memoryMiB],
  ];
  return pairs
    .filter(([field, expected]) => declared[field] !== expected)
    .map(([field, expected]) => `${label}.${field}: terraform has ${JSON.stringify(declared[field])}, the stage table ${JSON.stringify(expected)}`);
}

/**
 * Every difference between the stage table and the `stages` default: states the default lacks, states the code
 * lacks, and fields that disagree. [] when they mirror each other.
 */
export function compareStages(table: Readonly<Record<string, StageLike>>, defaults: Record<string, Partial<StageDefault>>): string[] {
  const problems: string[] = [];
  for (const [state, spec] of Object.entries(table)) problems.push(...compareStage(state, spec, defaults[state]));
  for (const state of Object.keys(defaults)) {
    if (!(state in table)) problems.push(`${state}: declared in terraform but not a state of the stage table`);
  }
  return problems;
}

export interface DeliveryPolicyLike {
  maxDeliveryAttempts: number;
  minimumBackoffSec: number;
  maximumBackoffSec: number;
}

/** How the delivery-policy variable defaults differ from DELIVERY_POLICY; [] when they agree. */
export function compareDeliveryPolicy(tf: Terraform, policy: DeliveryPolicyLike): string[] {
  const expected: [string, unknown][] = [
    ['max_delivery_attempts', policy.maxDeliveryAttempts],
    ['minimum_backoff', `${policy.minimumBackoffSec}s`],
    ['maximum_backoff', `${policy.maximumBackoffSec}s`],
  ];
  return expected
    .filter(([name, value]) => tf.variables[name]?.default !== value)
    .map(([name, value]) => `variable ${name}: default ${JSON.stringify(tf.variables[name]?.default)}, DELIVERY_POLICY ${JSON.stringify(value)}`);
}

/** The key of the dead-letter handler among the pushed functions. */
export const DEAD_LETTER_KEY = 'DEAD_LETTER';

/** What local.pushed_functions must be: every stage, plus the dead-letter handler and nothing else. */
export const PUSHED_FUNCTIONS = '${merge(var.stages, { DEAD_LETTER = var.dead_letter })}';

/** The `moved` blocks of every file, as from -> to. */
export function movedBlocks(tf: Terraform): Record<string, string> {
  const moves: Record<string, string> = {};
  for (const { json } of tf.files) {
    for (const move of blocks(json, 'moved')) moves[String(move.from)] = String(move.to);
  }
  return moves;
}

/**
 * Whether a for_each covers exactly the stages: var.stages itself, or local.pushed_functions when that is var.stages
 * plus the dead-letter handler.
 */
export function iteratesStages(tf: Terraform, forEach: unknown): boolean {
  if (forEach === '${var.stages}') return true;
  return forEach === '${local.pushed_functions}' && tf.localValues.pushed_functions === PUSHED_FUNCTIONS;
}

/** Resources among `addresses` ("type.name") that are missing or do not `for_each` over the stages. */
export function notIteratingStages(tf: Terraform, addresses: string[]): string[] {
  return addresses.filter((address) => {
    const [type, name] = address.split('.');
    return !iteratesStages(tf, tf.resources[type]?.[name]?.for_each);
  });
}

/** A nested block of a resource, written literally or as a `dynamic` block (then its `content`), with its for_each. */
function nestedBlock(parent: HclBody, name: string): { block: HclBody; forEach?: unknown } | undefined {
  const literal = blocks(parent, name)[0];
  if (literal !== undefined) return { block: literal };
  const dynamic = blocks(blocks(parent, 'dynamic')[0] ?? {}, name)[0];
  const content = dynamic === undefined ? undefined : blocks(dynamic, 'content')[0];
  return content === undefined ? undefined : { block: content, forEach: dynamic!.for_each };
}

/** The only for_each a dead_letter_policy may have: every subscription but the dead-letter one's. */
export const DEAD_LETTER_POLICY_FOR_EACH = `\${each.key == "${DEAD_LETTER_KEY}" ? [] : [each.key]}`;

/**
 * What the per-stage subscription lacks: it must iterate var.stages, forward to the dead-letter topic after
 * var.max_delivery_attempts, retry with the backoff variables and push to its stage's function with an OIDC token.
 */
export function stageSubscriptionProblems(tf: Terraform, name = 'stage'): string[] {
  const subscription = tf.resources.google_pubsub_subscription?.[name];
  if (subscription === undefined) return [`no google_pubsub_subscription.${name}`];
  const problems: string[] = [];
  if (!iteratesStages(tf, subscription.for_each)) problems.push('does not for_each over var.stages');
  const topicIds = String(tf.localValues.pushed_topic_ids ?? '');
  const onStageTopic =
    subscription.topic === '${google_pubsub_topic.stage[each.key].id}' ||
    (subscription.topic === '${local.pushed_topic_ids[each.key]}' &&
      topicIds.includes('for state, topic in google_pubsub_topic.stage : state => topic.id') &&
      topicIds.includes(`${DEAD_LETTER_KEY} = google_pubsub_topic.dead_letter.id`));
  if (!onStageTopic) problems.push("is not on its stage's topic");

  const policy = nestedBlock(subscription, 'dead_letter_policy');
  const deadLetter = policy?.block;
  if (deadLetter === undefined) problems.push('has no dead_letter_policy');
  else {
    if (policy!.forEach !== undefined && policy!.forEach !== DEAD_LETTER_POLICY_FOR_EACH) {
      problems.push('leaves out the dead_letter_policy of some stage');
    }
    if (policy!.forEach === undefined && subscription.for_each === '${local.pushed_functions}') {
      problems.push('dead-letters the dead-letter subscription to its own topic');
    }
    if (deadLetter.dead_letter_topic !== '${google_pubsub_topic.dead_letter.id}') problems.push('dead-letters to another topic');
    if (deadLetter.max_delivery_attempts !== '${var.max_delivery_attempts}') problems.push('ignores var.max_delivery_attempts');
  }

  const retry = blocks(subscription, 'retry_policy')[0];
  if (retry === undefined) problems.push('has no retry_policy');
  else {
    if (retry.minimum_backoff !== '${var.minimum_backoff}') problems.push('ignores var.minimum_backoff');
    if (retry.maximum_backoff !== '${var.maximum_backoff}') problems.push('ignores var.maximum_backoff');
  }

  const push = blocks(subscription, 'push_config')[0];
  if (push === undefined) problems.push('has no push_config');
  else {
    const endpoint = String(push.push_endpoint ?? '');
    if (!endpoint.startsWith('${google_cloudfunctions2_function.stage[each.key].service_config[0].uri}')) {
      problems.push("does not push to its stage's function");
    }
    const oidc = blocks(push, 'oidc_token')[0];
    if (oidc === undefined || typeof oidc.service_account_email !== 'string') problems.push('pushes without an OIDC token');
  }
  return problems;
}

/**
 * What the per-stage function lacks: it must iterate var.stages, take entry point, timeout and memory from its
 * stage, and have no event_trigger (Eventarc would deliver every message a second time, past the subscription).
 */
export function stageFunctionProblems(tf: Terraform, name = 'stage'): string[] {
  const fn = tf.resources.google_cloudfunctions2_function?.[name];
  if (fn === undefined) return [`no google_cloudfunctions2_function.${name}`];
  const problems: string[] = [];
  if (!iteratesStages(tf, fn.for_each)) problems.push('does not for_each over var.stages');
  if (blocks(fn, 'event_trigger').length > 0) problems.push('has an event_trigger as well as the push subscription');
  const build = blocks(fn, 'build_config')[0] ?? {};
  const service = blocks(fn, 'service_config')[0] ?? {};
  if (build.entry_point !== '${each.value.function_name}') problems.push('entry point is not the stage function_name');
  if (build.runtime !== '${var.runtime}') problems.push('runtime is not var.runtime');
  if (service.timeout_seconds !== '${each.value.timeout_sec}') problems.push('timeout is not the stage timeout_sec');
  if (service.available_memory !== '${each.value.memory_mib}Mi') problems.push('memory is not the stage memory_mib');
  if (service.service_account_email === undefined) problems.push('runs as the default service account');
  return problems;
}
