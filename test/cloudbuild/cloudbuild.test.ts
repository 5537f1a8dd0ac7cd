import { readFileSync } from 'node:fs';
import path from 'node:path';
import { expect } from 'chai';
import { parse } from 'yaml';

const CLOUDBUILD = path.resolve(__dirname, '..', '..', 'cloudbuild.yaml');

interface Step {
  id?: string;
  name?: string;
  entrypoint?: string;
  args?: unknown;
  dir?: string;
}

interface CloudBuild {
  steps?: Step[];
  substitutions?: Record<string, string>;
  timeout?: string;
  options?: { logging?: string; dynamicSubstitutions?: boolean };
}

/** The command line a step runs, as one string (entrypoint, or the image, then its arguments). */
function commandOf(step: Step): string {
  const args = Array.isArray(step.args) ? step.args.map(String) : [];
  return [step.entrypoint ?? step.name ?? '', ...args].join(' ');
}

/** Index of the first step whose command matches, or -1. */
function stepIndex(steps: Step[], pattern: RegExp): number {
  return steps.findIndex((step) => pattern.test(commandOf(step)));
}

/** Why the steps are not in a safe order for deploying: lint, build and tests must all pass first. */
function deployOrderProblems(steps: Step[]): string[] {
  const deploy = stepIndex(steps, /terraform.*\bapply\b/);
  if (deploy === -1) return ['no step runs terraform apply'];
  const required: [string, RegExp][] = [
    ['npm ci', /\bnpm ci\b/],
    ['lint', /\bnpm run lint\b/],
    ['build', /\bnpm run build\b/],
    ['tests', /\bnpm (run )?test(:unit)?\b/],
    ['terraform init', /terraform.*\binit\b/],
  ];
  const problems: string[] = [];
  for (const [what, pattern] of required) {
    const index = stepIndex(steps, pattern);
    if (index === -1) problems.push(`no step runs ${what}`);
    else if (index > deploy) problems.push(`${what} runs after terraform apply`);
  }
  return problems;
}

describe('cloudbuild.yaml', () => {
  const config = parse(readFileSync(CLOUDBUILD, 'utf8')) as CloudBuild;
  const steps = config.steps ?? [];

  it('has steps', () => {
    expect(steps).to.be.an('array').with.length.greaterThan(0);
  });

  it('gives every step an image name and an argument list', () => {
    steps.forEach((step, index) => {
      const label = step.id ?? `step ${index}`;
      expect(step.name, `${label} name`).to.be.a('string').with.length.greaterThan(0);
      expect(step.args, `${label} args`).to.be.an('array').with.length.greaterThan(0);
    });
  });

  it('gives every step a unique id', () => {
    const ids = steps.map((step) => step.id);
    expect(ids.every((id) => typeof id === 'string')).to.equal(true);
    expect(new Set(ids).size).to.equal(ids.length);
  });

  it('runs npm ci, lint, build and the unit tests before deploying', () => {
    expect(deployOrderProblems(steps)).to.deep.equal([]);
    expect(commandOf(steps[stepIndex(steps, /\bnpm (run )?test/)])).to.include('test:unit');
  });

  it('reports a deploy that runs before the tests (so the order test can fail)', () => {
    const testIndex = stepIndex(steps, /\bnpm (run )?test/);
    const reordered = [...steps.slice(0, testIndex), ...steps.slice(testIndex + 1), steps[testIndex]];
    expect(deployOrderProblems(reordered)).to.deep.equal(['tests runs after terraform apply']);
    expect(deployOrderProblems(steps.filter((step) => !commandOf(step).includes('lint')))).to.deep.equal(['no step runs lint']);
  });

  it('packages the source archive before terraform uses it', () => {
    const packageStep = stepIndex(steps, /zip/);
    const plan = stepIndex(steps, /terraform.*\bplan\b/);
    expect(packageStep, 'package step').to.be.greaterThan(stepIndex(steps, /\bnpm run build\b/));
    expect(plan, 'plan step').to.be.greaterThan(packageStep);
    expect(commandOf(steps[plan])).to.include('-var=source_archive_path=');
  });

  it('deploys with the hashicorp/terraform image into the build project', () => {
    const terraformSteps = steps.filter((step) => step.name?.startsWith('hashicorp/terraform'));
    expect(terraformSteps.map((step) => (step.args as string[])[0])).to.include.members(['init', 'plan', 'apply']);
    for (const step of terraformSteps) expect(step.dir, step.id).to.equal('terraform');
    const init = commandOf(steps[stepIndex(steps, /terraform.*\binit\b/)]);
    expect(init).to.include('-backend-config=bucket=${_TF_STATE_BUCKET}');
    const plan = commandOf(steps[stepIndex(steps, /terraform.*\bplan\b/)]);
    expect(plan).to.include('-var=project_id=${PROJECT_ID}');
    expect(plan).to.include('-var=region=${_REGION}');
    expect(plan).to.include('-var=name_prefix=${_NAME_PREFIX}');
  });

  it('declares the substitutions it uses', () => {
    const used = new Set([...readFileSync(CLOUDBUILD, 'utf8').matchAll(/\$\{(_[A-Z0-9_]+)\}/g)].map((match) => match[1]));
    expect([...used]).to.include.members(['_REGION', '_NAME_PREFIX', '_TF_STATE_BUCKET']);
    for (const name of used) expect(config.substitutions, name).to.have.property(name);
  });

  it('sets a timeout and logs to Cloud Logging only', () => {
    expect(config.timeout).to.match(/^\d+s$/);
    expect(config.options?.logging).to.equal('CLOUD_LOGGING_ONLY');
  });
});
