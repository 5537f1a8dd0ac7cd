import path from 'node:path';
import * as grpc from '@grpc/grpc-js';
import * as protoLoader from '@grpc/proto-loader';
import { SecretManagerServiceClient } from '@google-cloud/secret-manager';
import { crc32cOf } from '../../shared/adapters/secrets/secret_manager_source';

/** The packages' entry points are build/src/index.js; their protos sit in build/protos. */
const protosOf = (pkg: string) => path.join(path.dirname(require.resolve(pkg)), '..', 'protos');
const PROTOS = protosOf('@google-cloud/secret-manager');
const COMMON_PROTOS = protosOf('google-gax');

/**
 * A Secret Manager on a loopback port, built from the client package's own service.proto: AccessSecretVersion
 * answers from a map of `projects/p/secrets/s/versions/v` (or `.../latest`) to values, NOT_FOUND otherwise.
 */
export class FakeSecretManager {
  readonly secrets = new Map<string, string>();
  readonly accessed: string[] = [];
  /** Sends a wrong checksum, as a payload corrupted on the way would arrive. */
  corruptChecksum = false;
  private server: grpc.Server | null = null;
  port = 0;

  async start(): Promise<void> {
    const definition = protoLoader.loadSync('google/cloud/secretmanager/v1/service.proto', {
      includeDirs: [PROTOS, COMMON_PROTOS],
      keepCase: false,
      longs: String,
      defaults: true,
    });
    const loaded = grpc.loadPackageDefinition(definition) as unknown as {
      google: { cloud: { secretmanager: { v1: { SecretManagerService: { service: grpc.ServiceDefinition } } } } };
    };
    const server = new grpc.Server();
    server.addService(loaded.google.cloud.secretmanager.v1.SecretManagerService.service, {
      accessSecretVersion: (call: grpc.ServerUnaryCall<{ name: string }, unknown>, callback: grpc.sendUnaryData<unknown>) => {
        const name = call.request.name;
        this.accessed.push(name);
        const value = this.secrets.get(name);
        if (value === undefined) {
          callback({ code: grpc.status.NOT_FOUND, details: `Secret [${name}] not found or has no versions.` });
          return;
        }
        const data = Buffer.from(value, 'utf8');
        callback(null, { name: name.replace(/latest$/, '1'), payload: { data, dataCrc32c: String((crc32cOf(data) ^ (this.corruptChecksum ? 1 : 0)) >>> 0) } });
      },
    });
    this.port = await new Promise<number>((resolve, reject) =>
      server.bindAsync('127.0.0.1:0', grpc.ServerCredentials.createInsecure(), (error, port) => (error ? reject(error) : resolve(port))),
    );
    this.server = server;
  }

  /** A real client pointed at this server. */
  client(): SecretManagerServiceClient {
    return new SecretManagerServiceClient({ apiEndpoint: '127.0.0.1', port: this.port, sslCreds: grpc.credentials.createInsecure() });
  }

  async stop(): Promise<void> {
    await new Promise<void>((resolve) => (this.server ? this.server.tryShutdown(() => resolve()) : resolve()));
  }
}
