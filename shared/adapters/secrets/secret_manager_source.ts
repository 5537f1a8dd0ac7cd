import type { SecretManagerServiceClient } from '@google-cloud/secret-manager';
import { CRC32C } from '@google-cloud/storage';
import { registerSecret } from '../../redaction';
import { SecretUnavailableError, type SecretSource } from '../../ports/secrets';

/** CRC32C of `bytes` as the unsigned integer Secret Manager sends (the library's value is a signed 32-bit int). */
export function crc32cOf(bytes: Buffer): number {
  const crc = new CRC32C();
  crc.update(bytes);
  return crc.valueOf() >>> 0;
}

/** `my-key` → the latest version of that secret in the project; a full resource name is used as it is. */
export function secretVersionName(name: string, projectId: string): string {
  if (!name.startsWith('projects/')) return `projects/${projectId}/secrets/${name}/versions/latest`;
  return name.includes('/versions/') ? name : `${name}/versions/latest`;
}

/**
 * Secrets read from Secret Manager by name (for deployments that do not mount them), checked against the payload's
 * CRC32C as Google recommends, and registered for redaction before anything else sees them.
 */
export class SecretManagerSource implements SecretSource {
  constructor(
    private readonly client: SecretManagerServiceClient,
    private readonly projectId: string,
  ) {}

  async get(name: string): Promise<string> {
    const resource = secretVersionName(name, this.projectId);
    let data: Uint8Array | string | null | undefined;
    let checksum: unknown;
    try {
      const [version] = await this.client.accessSecretVersion({ name: resource });
      data = version.payload?.data;
      checksum = version.payload?.dataCrc32c;
    } catch (error) {
      // The error names the secret, never its value (which was not received).
      throw new SecretUnavailableError(resource, (error as Error).message);
    }
    if (data === null || data === undefined) throw new SecretUnavailableError(resource, 'the version has no payload');
    const bytes = typeof data === 'string' ? Buffer.from(data, 'utf8') : Buffer.from(data);
    if (checksum !== null && checksum !== undefined && Number(checksum) !== crc32cOf(bytes)) {
      throw new SecretUnavailableError(resource, 'the payload does not match its CRC32C checksum');
    }
    const value = bytes.toString('utf8');
    registerSecret(value);
    return value.trim();
  }
}
