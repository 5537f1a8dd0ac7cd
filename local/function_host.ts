import type { Server } from 'node:http';
import { getTestServer } from '@google-cloud/functions-framework/testing';

export interface HostedFunction {
  name: string;
  port: number;
}

/**
 * Serves registered functions with the Functions Framework's own server, each on its own loopback port, all in
 * this process (one process per function would cost a Node start-up each on a laptop).
 */
export class FunctionHost {
  private readonly servers: Server[] = [];

  async serve(name: string): Promise<HostedFunction> {
    const server = getTestServer(name);
    this.servers.push(server);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const address = server.address();
    if (address === null || typeof address === 'string') throw new Error(`function ${name} is not listening`);
    return { name, port: address.port };
  }

  async close(): Promise<void> {
    await Promise.all(
      this.servers.map(
        (server) =>
          new Promise<void>((resolve) => {
            server.closeAllConnections();
            server.close(() => resolve());
          }),
      ),
    );
  }
}
