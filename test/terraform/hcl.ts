// Reads terraform/*.tf with @cdktf/hcl2json and checks the configuration against the stage and step tables.
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

/** The parts of a step spec Terraform mirrors (StepSpec fits). */
export interface StepLike extends StageLike {
  state: string;
}

/** A step as the `steps` variable declares it. */
export interface StepDefault extends StageDefault {
  state: string;
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

/** The `steps` variable's default, by step kind. */
export function stepDefaults(tf: Terraform): Record<string, StepDefault> {
  const value = variableDefault(tf, 'steps');
  if (!isBody(value)) throw new Error('the default of variable "steps" is not a map');
  return value as Record<string, StepDefault>;
}

/** How one Terraform stage differs from its spec in the code; [] when they agree. */
export function compareStage(
  label: string,
  spec: StageLike,
  declared: Partial<StageDefault> | undefined,
  table = 'the stage table',
): string[] {
  if (declared === undefined) return [`${label}: missing from terraform`];
  const pairs: [keyof StageDefault, unknown][] = [
    ['topic', spec.topic],
    ['function_name', spec.functionName],
    ['timeout_sec', spec.timeoutSec],
    ['memory_mib', spec.memoryMiB],
  ];
  return pairs
    .filter(([field, expected]) => declared[field] !== expected)
    .map(([field, expected]) => `${label}.${field}: terraform has ${JSON.stringify(declared[field])}, ${table} ${JSON.stringify(expected)}`);
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

/** How one Terraform step differs from its spec in the code (its state included); [] when they agree. */
export function compareStep(kind: string, spec: StepLike, declared: Partial<StepDefault> | undefined): string[] {
  const problems = compareStage(kind, spec, declared, 'the step table');
  if (declared !== undefined && declared.state !== spec.state) {
    problems.push(`${kind}.state: terraform has ${JSON.stringify(declared.state)}, the step table ${JSON.stringify(spec.state)}`);
  }
  return problems;
}

/**
 * Every difference between the step table and the `steps` default: steps the default lacks, steps the code lacks,
 * and fields that disagree. [] when they mirror each other.
 */
export function compareSteps(table: Readonly<Record<string, StepLike>>, defaults: Record<string, Partial<StepDefault>>): string[] {
  const problems: string[] = [];
  for (const [kind, spec] of Object.entries(table)) problems.push(...compareStep(kind, spec, defaults[kind]));
  for (const kind of Object.keys(defaults)) {
    if (!(kind in table)) problems.push(`${kind}: declared in terraform but not a step of the step table`);
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

/** What local.pipeline_functions must be: every stage and every step, and nothing else. */
export const PIPELINE_FUNCTIONS = '${merge(var.stages, var.steps)}';

/** What local.pushed_functions must be: every stage and step, the dead-letter handler, every service and nothing else. */
export const PUSHED_FUNCTIONS = `\${merge(local.pipeline_functions, { ${DEAD_LETTER_KEY} = var.dead_letter }, var.services)}`;

/**
 * What local.pushed_delivery must be: the stages and steps retried with the delivery variables and dead-lettered to the
 * dead-letter topic, the dead-letter subscription retried alike but forwarding nowhere, each service with its own
 * policy and dead-letter topic.
 */
export const PUSHED_DELIVERY = `\${merge(
  { for key in keys(local.pipeline_functions) : key => {
      max_delivery_attempts = var.max_delivery_attempts
      minimum_backoff = var.minimum_backoff
      maximum_backoff = var.maximum_backoff
      dead_letter_topic = var.dead_letter.topic
  } },
  { ${DEAD_LETTER_KEY} = {
      max_delivery_attempts = var.max_delivery_attempts
      minimum_backoff = var.minimum_backoff
      maximum_backoff = var.maximum_backoff
      dead_letter_topic = null
  } },
  { for key, service in var.services : key => {
      max_delivery_attempts = service.delivery.max_delivery_attempts
      minimum_backoff = "\${service.delivery.minimum_backoff_sec}s"
      maximum_backoff = "\${service.delivery.maximum_backoff_sec}s"
      dead_letter_topic = service.dead_letter_topic
  } },
)}`;

/** What local.dead_lettered must be: the pushed functions whose subscription forwards to a dead-letter topic. */
export const DEAD_LETTERED = '${{ for key, delivery in local.pushed_delivery : key => delivery if delivery.dead_letter_topic != null }}';

/** What local.scheduled_services must be: the services with a schedule. */
export const SCHEDULED_SERVICES = '${{ for key, service in var.services : key => service if service.schedule != null }}';

/** What local.topic_ids_by_name must be: every pushed-to topic's id by the topic's name, as the tables name topics. */
export const TOPIC_IDS_BY_NAME = '${{ for key, id in local.pushed_topic_ids : local.pushed_functions[key].topic => id }}';

/** An expression with its whitespace and optional trailing commas evened out, to compare two renderings of it. */
export function normalized(expression: unknown): string {
  return String(expression)
    .replace(/\s+/g, ' ')
    .replace(/,\s*([)}\]])/g, ' $1')
    .replace(/([{([])\s+/g, '$1')
    .replace(/\s+([)}\]])/g, '$1')
    .replace(/\s*=\s*/g, ' = ')
    .trim();
}

/** Whether a local is assigned exactly `expected` (whitespace aside). */
export function localIs(tf: Terraform, name: string, expected: string): boolean {
  return normalized(tf.localValues[name]) === normalized(expected);
}

/** A service as the `services` variable declares it. */
export interface ServiceDefault extends StageDefault {
  schedule?: { cron: string; time_zone: string } | null;
  delivery: { max_delivery_attempts: number; minimum_backoff_sec: number; maximum_backoff_sec: number };
  dead_letter_topic?: string | null;
}

/** The parts of a service spec Terraform mirrors (ServiceSpec fits). */
export interface ServiceLike extends StageLike {
  schedule?: { cron: string; timeZone: string };
  delivery: DeliveryPolicyLike;
  deadLetterTopic?: string;
}

/** The `services` variable's default, by service name. */
export function serviceDefaults(tf: Terraform): Record<string, ServiceDefault> {
  const value = variableDefault(tf, 'services');
  if (!isBody(value)) throw new Error('the default of variable "services" is not a map');
  return value as Record<string, ServiceDefault>;
}

/** How one Terraform service differs from its spec in the code; [] when they agree. */
export function compareService(name: string, spec: ServiceLike, declared: Partial<ServiceDefault> | undefined): string[] {
  const problems = compareStage(name, spec, declared, 'the service table');
  if (declared === undefined) return problems;
  const pairs: [string, unknown, unknown][] = [
    ['schedule.cron', declared.schedule?.cron, spec.schedule?.cron],
    ['schedule.time_zone', declared.schedule?.time_zone, spec.schedule?.timeZone],
    ['delivery.max_delivery_attempts', declared.delivery?.max_delivery_attempts, spec.delivery.maxDeliveryAttempts],
    ['delivery.minimum_backoff_sec', declared.delivery?.minimum_backoff_sec, spec.delivery.minimumBackoffSec],
    ['delivery.maximum_backoff_sec', declared.delivery?.maximum_backoff_sec, spec.delivery.maximumBackoffSec],
    ['dead_letter_topic', declared.dead_letter_topic ?? undefined, spec.deadLetterTopic],
  ];
  for (const [field, actual, expected] of pairs) {
    if (actual !== expected) problems.push(`${name}.${field}: terraform has ${JSON.stringify(actual)}, the service table ${JSON.stringify(expected)}`);
  }
  return problems;
}

/** Every difference between the service table and the `services` default. [] when they mirror each other. */
export function compareServices(table: Readonly<Record<string, ServiceLike>>, defaults: Record<string, Partial<ServiceDefault>>): string[] {
  const problems: string[] = [];
  for (const [name, spec] of Object.entries(table)) problems.push(...compareService(name, spec, defaults[name]));
  for (const name of Object.keys(defaults)) {
    if (!(name in table)) problems.push(`${name}: declared in terraform but not a service of the service table`);
  }
  return problems;
}

/**
 * The dead-letter topic local.pushed_delivery gives a pushed function, read from the defaults (null: it forwards
 * nowhere); undefined when the key is not pushed to or local.pushed_delivery is not the expected expression.
 */
export function deadLetterTopicOf(tf: Terraform, key: string): string | null | undefined {
  if (!localIs(tf, 'pushed_delivery', PUSHED_DELIVERY)) return undefined;
  if (key === DEAD_LETTER_KEY) return null;
  if (key in stageDefaults(tf) || key in stepDefaults(tf)) return (variableDefault(tf, 'dead_letter') as StageDefault & { topic: string }).topic;
  const service = serviceDefaults(tf)[key];
  return service === undefined ? undefined : (service.dead_letter_topic ?? null);
}

/** The `moved` blocks of every file, as from -> to. */
export function movedBlocks(tf: Terraform): Record<string, string> {
  const moves: Record<string, string> = {};
  for (const { json } of tf.files) {
    for (const move of blocks(json, 'moved')) moves[String(move.from)] = String(move.to);
  }
  return moves;
}

/**
 * Whether a for_each covers every stage and step: local.pipeline_functions when that is var.stages plus var.steps,
 * local.pushed_functions when that is those plus the dead-letter handler and the services, or local.dead_lettered
 * (the pushed functions that forward dead letters, which every stage and step does).
 */
export function iteratesPipeline(tf: Terraform, forEach: unknown): boolean {
  if (tf.localValues.pipeline_functions !== PIPELINE_FUNCTIONS) return false;
  if (forEach === '${local.pipeline_functions}') return true;
  if (forEach === '${local.dead_lettered}') return localIs(tf, 'dead_lettered', DEAD_LETTERED) && localIs(tf, 'pushed_delivery', PUSHED_DELIVERY);
  return forEach === '${local.pushed_functions}' && tf.localValues.pushed_functions === PUSHED_FUNCTIONS;
}

/** Resources among `addresses` ("type.name") that are missing or do not `for_each` over the stages and steps. */
export function notIteratingPipeline(tf: Terraform, addresses: string[]): string[] {
  return addresses.filter((address) => {
    const [type, name] = address.split('.');
    return !iteratesPipeline(tf, tf.resources[type]?.[name]?.for_each);
  });
}

/** Splits `text` at the top-level separators (outside brackets and strings). */
function splitTopLevel(text: string, separators: RegExp): string[] {
  const parts: string[] = [];
  let depth = 0;
  let quoted = false;
  let current = '';
  for (let i = 0; i < text.length; i++) {
    const char = text[i];
    if (quoted) {
      if (char === '\\') {
        current += char + (text[i + 1] ?? '');
        i++;
        continue;
      }
      if (char === '"') quoted = false;
    } else if (char === '"') quoted = true;
    else if ('([{'.includes(char)) depth++;
    else if (')]}'.includes(char)) depth--;
    else if (depth === 0 && separators.test(char)) {
      parts.push(current);
      current = '';
      continue;
    }
    current += char;
  }
  parts.push(current);
  return parts.map((part) => part.trim()).filter((part) => part !== '');
}

/**
 * The keys of the map an expression builds from the variable defaults: var.X (its default), local.X (its expression),
 * merge(...) of those and `{ KEY = ... }` literals. Throws on anything else, so an unexpected for_each is reported
 * instead of guessed at.
 */
export function mapKeys(tf: Terraform, expression: unknown, seen: ReadonlySet<string> = new Set()): string[] {
  if (typeof expression !== 'string') throw new Error(`not an expression: ${JSON.stringify(expression)}`);
  const text = expression.trim().replace(/^\$\{([\s\S]*)\}$/, '$1').trim();
  const variable = /^var\.([A-Za-z_][\w-]*)$/.exec(text);
  if (variable !== null) {
    const value = variableDefault(tf, variable[1]);
    if (!isBody(value)) throw new Error(`the default of var.${variable[1]} is not a map`);
    return Object.keys(value);
  }
  const local = /^local\.([A-Za-z_][\w-]*)$/.exec(text);
  if (local?.[1] === 'dead_lettered' && localIs(tf, 'dead_lettered', DEAD_LETTERED)) {
    return mapKeys(tf, '${local.pushed_functions}', seen).filter((key) => deadLetterTopicOf(tf, key) != null);
  }
  if (local?.[1] === 'scheduled_services' && localIs(tf, 'scheduled_services', SCHEDULED_SERVICES)) {
    return Object.entries(serviceDefaults(tf)).flatMap(([name, service]) => (service.schedule == null ? [] : [name]));
  }
  if (local !== null) {
    if (seen.has(local[1])) throw new Error(`local.${local[1]} refers to itself`);
    if (!(local[1] in tf.localValues)) throw new Error(`local.${local[1]} is not assigned`);
    return mapKeys(tf, tf.localValues[local[1]], new Set([...seen, local[1]]));
  }
  const merge = /^merge\(([\s\S]*)\)$/.exec(text);
  if (merge !== null) {
    const keys = splitTopLevel(merge[1], /,/).flatMap((argument) => mapKeys(tf, argument, seen));
    return [...new Set(keys)];
  }
  const literal = /^\{([\s\S]*)\}$/.exec(text);
  if (literal !== null) {
    return splitTopLevel(literal[1], /[,\n]/).map((entry) => {
      const key = /^"?([A-Za-z_][\w-]*)"?\s*=/.exec(entry);
      if (key === null) throw new Error(`cannot read the key of ${JSON.stringify(entry)}`);
      return key[1];
    });
  }
  throw new Error(`cannot evaluate ${JSON.stringify(text)}`);
}

/** The instance keys a resource ("type.name") gets from the defaults, or the reason they cannot be read. */
export function instanceKeys(tf: Terraform, address: string): string[] | string {
  const [type, name] = address.split('.');
  const found = tf.resources[type]?.[name];
  if (found === undefined) return `terraform declares no resource ${address}`;
  try {
    return mapKeys(tf, found.for_each);
  } catch (error) {
    return `${address}: ${(error as Error).message}`;
  }
}

/**
 * How the keys of local.pushed_functions, evaluated from the defaults, differ from exactly the stages, the steps,
 * DEAD_LETTER and the services; [] when they are that and nothing else.
 */
export function pushedFunctionsProblems(tf: Terraform, stages: readonly string[], steps: readonly string[], services: readonly string[]): string[] {
  let keys: string[];
  try {
    keys = mapKeys(tf, '${local.pushed_functions}');
  } catch (error) {
    return [`local.pushed_functions: ${(error as Error).message}`];
  }
  const expected = [...stages, ...steps, DEAD_LETTER_KEY, ...services];
  return [
    ...expected.filter((key) => !keys.includes(key)).map((key) => `${key}: missing from local.pushed_functions`),
    ...keys.filter((key) => !expected.includes(key)).map((key) => `${key}: in local.pushed_functions but neither a stage, a step, a service nor ${DEAD_LETTER_KEY}`),
  ];
}

/**
 * Keys among `keys` that lack an instance of one of the resources at `addresses`, as "<key>: no <address>", plus the
 * resources whose instances cannot be read from the defaults.
 */
export function missingInstances(tf: Terraform, keys: readonly string[], addresses: readonly string[]): string[] {
  const problems: string[] = [];
  for (const address of addresses) {
    const instances = instanceKeys(tf, address);
    if (typeof instances === 'string') problems.push(instances);
    else for (const key of keys) if (!instances.includes(key)) problems.push(`${key}: no ${address}`);
  }
  return problems;
}

/** A nested block of a resource, written literally or as a `dynamic` block (then its `content`), with its for_each. */
function nestedBlock(parent: HclBody, name: string): { block: HclBody; forEach?: unknown } | undefined {
  const literal = blocks(parent, name)[0];
  if (literal !== undefined) return { block: literal };
  const dynamic = blocks(blocks(parent, 'dynamic')[0] ?? {}, name)[0];
  const content = dynamic === undefined ? undefined : blocks(dynamic, 'content')[0];
  return content === undefined ? undefined : { block: content, forEach: dynamic!.for_each };
}

/** The only for_each a dead_letter_policy may have: every subscription local.pushed_delivery gives a dead-letter topic. */
export const DEAD_LETTER_POLICY_FOR_EACH = '${local.pushed_delivery[each.key].dead_letter_topic == null ? [] : [local.pushed_delivery[each.key]]}';

/**
 * Keys among `keys` whose push subscription (google_pubsub_subscription.<name>) would have no dead_letter_policy: the
 * subscription is missing or does not cover the key, the policy is missing, its dynamic for_each is not the expected
 * one, or local.pushed_delivery gives the key no dead-letter topic.
 */
export function notDeadLettered(tf: Terraform, keys: readonly string[], name = 'stage'): string[] {
  const address = `google_pubsub_subscription.${name}`;
  const subscription = tf.resources.google_pubsub_subscription?.[name];
  const instances = instanceKeys(tf, address);
  const policy = subscription === undefined ? undefined : nestedBlock(subscription, 'dead_letter_policy');
  return keys.filter((key) => {
    if (typeof instances === 'string' || !instances.includes(key) || policy === undefined) return true;
    if (policy.forEach === undefined) return false;
    return policy.forEach !== DEAD_LETTER_POLICY_FOR_EACH || deadLetterTopicOf(tf, key) == null;
  });
}

/**
 * What the per-stage subscription lacks: it must iterate the pushed functions, read its topic from local.pushed_topic_ids,
 * retry and dead-letter as local.pushed_delivery says for its entry, and push to its function with an OIDC token.
 */
export function stageSubscriptionProblems(tf: Terraform, name = 'stage'): string[] {
  const subscription = tf.resources.google_pubsub_subscription?.[name];
  if (subscription === undefined) return [`no google_pubsub_subscription.${name}`];
  const problems: string[] = [];
  if (!iteratesPipeline(tf, subscription.for_each)) problems.push('does not for_each over the stages and steps');
  const topicIds = String(tf.localValues.pushed_topic_ids ?? '');
  const onOwnTopic =
    subscription.topic === '${local.pushed_topic_ids[each.key]}' &&
    topicIds.includes('for key, topic in google_pubsub_topic.stage : key => topic.id') &&
    topicIds.includes(`${DEAD_LETTER_KEY} = google_pubsub_topic.dead_letter.id`) &&
    topicIds.includes('for key, topic in google_pubsub_topic.service : key => topic.id');
  if (!onOwnTopic) problems.push('is not on its own topic');
  if (!localIs(tf, 'pushed_delivery', PUSHED_DELIVERY)) problems.push('local.pushed_delivery is not the delivery policy of the tables');

  const policy = nestedBlock(subscription, 'dead_letter_policy');
  const deadLetter = policy?.block;
  if (deadLetter === undefined) problems.push('has no dead_letter_policy');
  else {
    if (policy!.forEach !== DEAD_LETTER_POLICY_FOR_EACH) problems.push('does not take its dead_letter_policy from local.pushed_delivery');
    if (deadLetter.dead_letter_topic !== '${local.topic_ids_by_name[dead_letter_policy.value.dead_letter_topic]}' || !localIs(tf, 'topic_ids_by_name', TOPIC_IDS_BY_NAME)) {
      problems.push('dead-letters to another topic than its entry names');
    }
    if (deadLetter.max_delivery_attempts !== '${dead_letter_policy.value.max_delivery_attempts}') problems.push("ignores its entry's max_delivery_attempts");
  }

  const retry = blocks(subscription, 'retry_policy')[0];
  if (retry === undefined) problems.push('has no retry_policy');
  else {
    if (retry.minimum_backoff !== '${local.pushed_delivery[each.key].minimum_backoff}') problems.push("ignores its entry's minimum_backoff");
    if (retry.maximum_backoff !== '${local.pushed_delivery[each.key].maximum_backoff}') problems.push("ignores its entry's maximum_backoff");
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
 * What the per-stage function lacks: it must iterate the stages and steps, take entry point, timeout and memory from
 * its stage, and have no event_trigger (Eventarc would deliver every message a second time, past the subscription).
 */
export function stageFunctionProblems(tf: Terraform, name = 'stage'): string[] {
  const fn = tf.resources.google_cloudfunctions2_function?.[name];
  if (fn === undefined) return [`no google_cloudfunctions2_function.${name}`];
  const problems: string[] = [];
  if (!iteratesPipeline(tf, fn.for_each)) problems.push('does not for_each over the stages and steps');
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
