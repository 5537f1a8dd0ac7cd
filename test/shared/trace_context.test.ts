import { expect } from 'chai';
import { fromCloudTraceContext, fromTraceparent } from '../../shared/trace_context';

describe('trace context', () => {
  it('reads a W3C traceparent', () => {
    expect(fromTraceparent('00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01')).to.deep.equal({
      traceId: '4bf92f3577b34da6a3ce929d0e0e4736',
      spanId: '00f067aa0ba902b7',
      sampled: true,
    });
    expect(fromTraceparent('00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-00')?.sampled).to.equal(false);
  });

  it('refuses a malformed or all-zero traceparent', () => {
    for (const value of [undefined, '', 'nope', '00-xyz-00f067aa0ba902b7-01', `00-${'0'.repeat(32)}-00f067aa0ba902b7-01`]) {
      expect(fromTraceparent(value), String(value)).to.equal(null);
    }
  });

  it("reads Google's X-Cloud-Trace-Context, turning the decimal span id into hex", () => {
    expect(fromCloudTraceContext('105445AA7843BC8BF206B12000100000/1;o=1')).to.deep.equal({
      traceId: '105445aa7843bc8bf206b12000100000',
      spanId: '0000000000000001',
      sampled: true,
    });
    expect(fromCloudTraceContext('105445aa7843bc8bf206b12000100000/18446744073709551615')?.spanId).to.equal('ffffffffffffffff');
    expect(fromCloudTraceContext('not a trace')).to.equal(null);
  });
});
