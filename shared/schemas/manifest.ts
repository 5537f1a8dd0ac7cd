import { z } from 'zod';
import { AspectRatioSchema } from './brief';

export const SCENE_ROLES = ['hook', 'key_message', 'proof', 'call_to_action'] as const;
export const SceneRoleSchema = z.enum(SCENE_ROLES);
export type SceneRole = z.infer<typeof SceneRoleSchema>;

export const SceneSchema = z.strictObject({
  index: z.number().int().min(0),
  role: SceneRoleSchema,
  startSec: z.number().min(0),
  durationSec: z.number().positive(),
  /** Longest the scene may grow when scenes are re-timed (a brand flash stays a flash). */
  maxDurationSec: z.number().positive().optional(),
  onScreenText: z.string().min(1).max(600),
  voiceover: z.string().min(1).max(1000),
  /** Background colours of the scene, top to bottom. */
  palette: z.tuple([z.string(), z.string()]),
  /** What the scene's picture shows, for the image and video generators (no text: the supers are drawn on top). */
  visual: z.string().min(1).max(400).optional(),
});
export type Scene = z.infer<typeof SceneSchema>;

/** The timed storyboard creative direction writes and the renderer follows. */
export const ManifestSchema = z.strictObject({
  version: z.literal(1),
  title: z.string().min(1).max(140),
  brandName: z.string().min(1),
  durationSec: z.number().positive(),
  aspectRatios: z.array(AspectRatioSchema).min(1),
  scenes: z.array(SceneSchema).min(1),
  planner: z.string().min(1),
});
export type Manifest = z.infer<typeof ManifestSchema>;
