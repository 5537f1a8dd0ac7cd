import { expect } from 'chai';
import { ROUTES } from '../../../functions/api/routes';
import { ApiClient } from '../../support/api_client';
import { testPlatform } from '../../support/root_hooks';

describe('OpenAPI document', () => {
  let document: any;

  before(async () => {
    const platform = await testPlatform();
    const answer = await new ApiClient(platform.apiUrl).get('/v1/openapi.json');
    expect(answer.status).to.equal(200);
    document = answer.body;
  });

  it('is a valid OpenAPI 3.1 document', async () => {
    const { Validator } = await import('@seriousme/openapi-schema-validator');
    const result = await new Validator().validate(document);
    expect(result.valid, JSON.stringify(result.errors, null, 2)).to.equal(true);
    expect(document.openapi).to.equal('3.1.0');
  });

  it('describes every route with its permission, parameters and answers', () => {
    for (const route of ROUTES) {
      const operation = document.paths[route.path]?.[route.method.toLowerCase()];
      expect(operation, `${route.method} ${route.path}`).to.be.an('object');
      expect(operation.operationId).to.equal(route.operationId);
      expect(operation['x-aiprod-permission']).to.equal(route.permission);
      for (const status of Object.keys(route.responses)) expect(operation.responses).to.have.property(status);
      expect(operation.responses['400'].content['application/json'].schema.$ref).to.equal('#/components/schemas/Error');
      if (route.permission !== null) expect(operation.responses).to.include.keys('401', '403');
    }
  });

  it('takes its request and answer schemas from the zod schemas, unknown fields refused', () => {
    const createJob = document.paths['/v1/jobs'].post;
    const brief = createJob.requestBody.content['application/json'].schema;
    expect(brief.additionalProperties).to.equal(false);
    expect(brief.required).to.include.members(['brand', 'product', 'callToAction', 'durationSec', 'aspectRatios']);
    expect(brief.properties.durationSec).to.include({ minimum: 6, maximum: 180 });
    const listJobs = document.paths['/v1/jobs'].get;
    expect(listJobs.parameters.map((parameter: { name: string }) => parameter.name)).to.deep.equal(['filter', 'limit', 'cursor']);
    expect(document.components.schemas.Job.properties).not.to.have.property('leases');
  });
});
