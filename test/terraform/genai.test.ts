import { expect } from 'chai';
import { DERIVED_COLLECTION, DERIVED_TTL_FIELD } from '../../shared/adapters/firestore/firestore_brand_kits';
import { MOUNTED_SECRETS } from '../../shared/providers_config';
import { blocks, body, collect, loadTerraform, resource, tfFiles, variableDefault, type HclBody, type Terraform } from './hcl';

/** What is wrong with how a function's service_config mounts the provider secrets. */
function secretMountProblems(fn: HclBody): string[] {
  const mounts = blocks(blocks(fn, 'service_config')[0] ?? {}, 'dynamic').flatMap((dynamic) => blocks(dynamic, 'secret_environment_variables'));
  if (mounts.length !== 1) return ['mounts no secrets'];
  const mount = mounts[0];
  const content = blocks(mount, 'content')[0] ?? {};
  const problems: string[] = [];
  if (mount.for_each !== '${local.genai_secrets}') problems.push('does not mount every secret of local.genai_secrets');
  if (content.key !== '${secret_environment_variables.key}') problems.push('mounts under another name than the one the code reads');
  if (content.secret !== '${secret_environment_variables.value.secret_id}' || content.version !== '${secret_environment_variables.value.version}') problems.push('mounts another secret or version');
  if (!(fn.depends_on as string[] | undefined)?.includes('${google_secret_manager_secret_iam_member.genai_accessor}')) problems.push('may deploy before it can read the secrets');
  return problems;
}

describe('terraform for the generative providers', () => {
  let tf: Terraform;

  before(async () => {
    tf = await loadTerraform();
  });

  it('has secrets.tf', () => {
    expect(tfFiles().map((file) => file.split('/').pop())).to.include.members(['secrets.tf']);
  });

  it('mounts each secret under the variable the code reads', () => {
    const mapped = String(tf.localValues.genai_secrets);
    for (const name of Object.values(MOUNTED_SECRETS)) expect(mapped).to.match(new RegExp(`${name}\\s+= var\\.genai_`));
    expect(variableDefault(tf, 'genai_api_key_secret'), 'no key unless configured').to.equal(null);
  });

  for (const name of ['stage', 'api']) {
    it(`mounts the secrets into every ${name} function, once it may read them`, () => {
      expect(secretMountProblems(resource(tf, 'google_cloudfunctions2_function', name))).to.deep.equal([]);
    });
  }

  it('reports a function that mounts no secrets (so the test above can fail)', () => {
    const broken = collect(structuredClone(tf.files));
    const fn = resource(broken, 'google_cloudfunctions2_function', 'stage');
    delete blocks(fn, 'service_config')[0].dynamic;
    expect(secretMountProblems(fn)).to.deep.equal(['mounts no secrets']);
  });

  it('creates only the secrets asked for and lets the pipeline account read each one', () => {
    expect(resource(tf, 'google_secret_manager_secret', 'genai').for_each).to.equal('${{ for name, secret in local.genai_secrets : name => secret if secret.create }}');
    const accessor = resource(tf, 'google_secret_manager_secret_iam_member', 'genai_accessor');
    expect(accessor).to.include({ for_each: '${local.genai_secrets}', role: 'roles/secretmanager.secretAccessor', member: '${local.service_account_member}' });
  });

  it('enables Vertex AI and Secret Manager and lets the pipeline account call Vertex AI', () => {
    expect(variableDefault(tf, 'genai_apis')).to.include.members(['aiplatform.googleapis.com', 'secretmanager.googleapis.com']);
    expect(variableDefault(tf, 'genai_service_account_roles')).to.include('roles/aiplatform.user');
    expect(resource(tf, 'google_project_iam_member', 'pipeline').for_each).to.contain('var.genai_service_account_roles');
    expect(resource(tf, 'google_project_service', 'enabled').for_each).to.contain('var.genai_apis');
  });

  it("expires the brand memory's derived cache by a TTL policy on the field the code writes", () => {
    const ttl = resource(tf, 'google_firestore_field', 'ttl');
    expect(ttl.field).to.equal(DERIVED_TTL_FIELD);
    expect(ttl.for_each).to.contain('var.brand_cache_collection');
    expect(variableDefault(tf, 'brand_cache_collection')).to.equal(DERIVED_COLLECTION);
    expect(blocks(ttl, 'ttl_config')).to.have.length(1);
    expect(body(blocks(ttl, 'index_config')[0])).to.deep.equal({});
  });
});
