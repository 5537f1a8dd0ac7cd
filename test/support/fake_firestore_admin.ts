import { readFileSync } from 'node:fs';
import path from 'node:path';
import * as grpc from '@grpc/grpc-js';
import * as protoLoader from '@grpc/proto-loader';
import protobuf from 'protobufjs';

// The packages export no subpaths: their protos are found beside their entry points (build/src/index.js).
const FIRESTORE_PROTOS = path.resolve(path.dirname(require.resolve('@google-cloud/firestore')), '..', 'protos');
const GAX_PROTOS = path.resolve(path.dirname(require.resolve('google-gax')), '..', 'protos');

/** What the fake does when an export or import starts; throw to make the operation fail. */
export type OperationWork = (request: Record<string, unknown>) => Promise<Record<string, unknown>>;

interface StoredOperation {
  name: string;
  /** The response type and value once done; the error when it failed. */
  result: Promise<{ type: string; value: Record<string, unknown> } | { error: string }>;
  settled: { type: string; value: Record<string, unknown> } | { error: string } | null;
  polls: number;
}

/**
 * A gRPC server speaking FirestoreAdmin.ExportDocuments / ImportDocuments and google.longrunning.Operations.GetOperation,
 * built from the client library's own protos, so the real FirestoreAdminClient (and its LRO polling) runs offline.
 * Operations start not done and report their result on a later poll, as the real service does.
 */
export class FakeFirestoreAdmin {
  readonly requests: Array<{ method: 'ExportDocuments' | 'ImportDocuments'; request: Record<string, unknown> }> = [];
  private readonly operations = new Map<string, StoredOperation>();
  private readonly server = new grpc.Server();
  private readonly types = protobuf.Root.fromJSON(JSON.parse(readFileSync(path.join(FIRESTORE_PROTOS, 'admin_v1.json'), 'utf8')));

  constructor(private readonly work: { ExportDocuments: OperationWork; ImportDocuments: OperationWork }) {}

  async start(): Promise<number> {
    const definition = protoLoader.loadSync(['google/firestore/admin/v1/firestore_admin.proto', 'google/longrunning/operations.proto'], {
      keepCase: false,
      longs: String,
      defaults: false,
      oneofs: true,
      includeDirs: [FIRESTORE_PROTOS, GAX_PROTOS],
    });
    const loaded = grpc.loadPackageDefinition(definition) as unknown as {
      google: { firestore: { admin: { v1: { FirestoreAdmin: { service: grpc.ServiceDefinition } } } }; longrunning: { Operations: { service: grpc.ServiceDefinition } } };
    };
    const start = (method: 'ExportDocuments' | 'ImportDocuments', type: string) => (call: grpc.ServerUnaryCall<Record<string, unknown>, unknown>, callback: grpc.sendUnaryData<unknown>) => {
      this.requests.push({ method, request: call.request });
      const name = `projects/p/databases/d/operations/op${this.operations.size + 1}`;
      const operation: StoredOperation = { name, settled: null, polls: 0, result: this.work[method](call.request).then((value) => ({ type, value }), (error: Error) => ({ error: error.message })) };
      void operation.result.then((settled) => (operation.settled = settled));
      this.operations.set(name, operation);
      callback(null, { name, done: false });
    };
    this.server.addService(loaded.google.firestore.admin.v1.FirestoreAdmin.service, {
      ExportDocuments: start('ExportDocuments', 'google.firestore.admin.v1.ExportDocumentsResponse'),
      ImportDocuments: start('ImportDocuments', 'google.protobuf.Empty'),
    });
    this.server.addService(loaded.google.longrunning.Operations.service, {
      GetOperation: (call: grpc.ServerUnaryCall<{ name: string }, unknown>, callback: grpc.sendUnaryData<unknown>) => {
        const operation = this.operations.get(call.request.name);
        if (operation === undefined) return callback({ code: grpc.status.NOT_FOUND, details: `no operation ${call.request.name}` });
        operation.polls++;
        callback(null, this.answer(operation));
      },
    });
    return new Promise((resolve, reject) =>
      this.server.bindAsync('127.0.0.1:0', grpc.ServerCredentials.createInsecure(), (error, port) => (error ? reject(error) : resolve(port))),
    );
  }

  stop(): Promise<void> {
    return new Promise((resolve) => this.server.tryShutdown(() => resolve()));
  }

  private answer(operation: StoredOperation): Record<string, unknown> {
    const settled = operation.settled;
    if (settled === null) return { name: operation.name, done: false };
    if ('error' in settled) return { name: operation.name, done: true, error: { code: grpc.status.FAILED_PRECONDITION, message: settled.error } };
    const type = this.types.lookupType(settled.type);
    return { name: operation.name, done: true, response: { typeUrl: `type.googleapis.com/${settled.type}`, value: Buffer.from(type.encode(type.fromObject(settled.value)).finish()) } };
  }
}
