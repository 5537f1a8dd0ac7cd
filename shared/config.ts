import { z } from 'zod';

const EMULATOR_VARIABLES = ['FIRESTORE_EMULATOR_HOST', 'PUBSUB_EMULATOR_HOST', 'FIREBASE_AUTH_EMULATOR_HOST', 'STORAGE_EMULATOR_HOST'] as const;

/** An origin a browser may call the API from: scheme, host and port, nothing else. */
const OriginSchema = z.string().refine((value) => {
  try {
    return new URL(value).origin === value;
  } catch {
    return false;
  }
}, 'an origin like https://app.example.com');

const ApiSettingsSchema = z.object({
  corsOrigins: z.array(OriginSchema),
  /** Requests one caller (API key or signed-in user) may make per minute. */
  rateLimitPerPrincipal: z.number().int().positive(),
  /** Requests one client address may make per minute, signed in or not. */
  rateLimitPerIp: z.number().int().positive(),
});
export type ApiSettings = z.infer<typeof ApiSettingsSchema>;

const ConfigSchema = z.discriminatedUnion('mode', [
  z.object({
    mode: z.literal('local'),
    api: ApiSettingsSchema,
    projectId: z.string().min(1),
    firestoreEmulatorHost: z.string().min(1),
    pubsubEmulatorHost: z.string().min(1),
    dataDir: z.string().min(1),
    tenant: z.string().min(1),
  }),
  z.object({
    mode: z.literal('gcp'),
    api: ApiSettingsSchema.extend({ corsOrigins: z.array(OriginSchema.refine((origin) => origin.startsWith('https://'), 'an https origin')) }),
    projectId: z.string().min(1),
    mediaBucket: z.string().min(1),
    /** Where the DR check exports Firestore to. */
    backupBucket: z.string().min(1),
    /** The Firestore database the DR check restores into. */
    drScratchDatabase: z.string().min(1),
  }),
]);
export type Config = z.infer<typeof ConfigSchema>;
export type LocalConfig = Extract<Config, { mode: 'local' }>;

export class ConfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ConfigError';
  }
}

/**
 * Reads the configuration once, at start-up. Local mode (the default) runs against Google's emulators and a
 * folder on disk; GCP mode refuses to start while any emulator variable is set, so nothing local-only can leak
 * into a deployment.
 */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const mode = env.AIPROD_MODE ?? 'local';
  if (mode === 'gcp') {
    const leaked = EMULATOR_VARIABLES.filter((name) => env[name] !== undefined);
    if (leaked.length > 0) throw new ConfigError(`AIPROD_MODE=gcp must not run with emulator settings: ${leaked.join(', ')}`);
  }
  const api = {
    corsOrigins: (env.AIPROD_CORS_ORIGINS ?? '').split(',').map((origin) => origin.trim()).filter((origin) => origin !== ''),
    rateLimitPerPrincipal: Number(env.AIPROD_RATE_LIMIT_PER_PRINCIPAL ?? 600),
    rateLimitPerIp: Number(env.AIPROD_RATE_LIMIT_PER_IP ?? 1200),
  };
  const candidate =
    mode === 'gcp'
      ? {
          mode,
          api,
          projectId: env.GOOGLE_CLOUD_PROJECT,
          mediaBucket: env.AIPROD_MEDIA_BUCKET,
          backupBucket: env.AIPROD_BACKUP_BUCKET,
          drScratchDatabase: env.AIPROD_DR_SCRATCH_DATABASE ?? 'aiprod-dr-scratch',
        }
      : {
          mode,
          api,
          projectId: env.GOOGLE_CLOUD_PROJECT ?? 'aiprod-local',
          firestoreEmulatorHost: env.FIRESTORE_EMULATOR_HOST,
          pubsubEmulatorHost: env.PUBSUB_EMULATOR_HOST,
          dataDir: env.AIPROD_DATA_DIR ?? '.aiprod/data',
          tenant: env.AIPROD_LOCAL_TENANT ?? 'local',
        };
  const parsed = ConfigSchema.safeParse(candidate);
  if (!parsed.success) {
    const missing = parsed.error.issues.map((issue) => issue.path.join('.')).join(', ');
    throw new ConfigError(`AIPROD_MODE=${mode}: missing or invalid settings: ${missing} (see README, "Configuration")`);
  }
  return parsed.data;
}
