import type { CloudEvent, HttpFunction, Request, Response } from '@google-cloud/functions-framework';
import { traceFields, withLogContext } from '../shared/logging';
import { fromCloudTraceContext, fromTraceparent } from '../shared/trace_context';
import { getRuntime } from './runtime';

/**
 * Runs a CloudEvent function inside the trace its event carries (the Functions Framework copies the request's
 * `traceparent` header onto the event), so every line it logs is linked to that trace in Cloud Logging.
 */
export function tracedCloudEvent(handler: (event: CloudEvent<unknown>) => Promise<void>): (event: CloudEvent<unknown>) => Promise<void> {
  return async (event) => {
    const { config } = await getRuntime();
    const trace = fromTraceparent(typeof event.traceparent === 'string' ? event.traceparent : undefined);
    await withLogContext(traceFields(config.projectId, trace), () => handler(event));
  };
}

/** The same for an HTTP function: the trace of the `traceparent` or `X-Cloud-Trace-Context` header. */
export function tracedHttp(handler: HttpFunction): HttpFunction {
  return async (req: Request, res: Response) => {
    const { config } = await getRuntime();
    const trace = fromTraceparent(req.header('traceparent')) ?? fromCloudTraceContext(req.header('x-cloud-trace-context'));
    await withLogContext(traceFields(config.projectId, trace), () => handler(req, res));
  };
}
