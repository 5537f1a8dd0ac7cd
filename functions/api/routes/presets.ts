import { z } from 'zod';
import { PresetNameSchema } from '../../../shared/schemas/brief';
import { PRESETS, PresetSchema } from '../../../shared/schemas/preset';
import { defineRoute } from '../route';

const PresetViewSchema = PresetSchema.meta({ id: 'Preset' });

export const listPresets = defineRoute({
  operationId: 'listPresets',
  method: 'GET',
  path: '/v1/presets',
  summary: 'The presets a brief can name: longest duration, quality bar, pipeline and approval step.',
  tag: 'presets',
  permission: 'read:jobs',
  responses: { 200: { description: 'Every preset.', schema: z.strictObject({ items: z.array(PresetViewSchema) }) } },
  async handle() {
    return { status: 200, body: { items: Object.values(PRESETS) } };
  },
});

export const getPreset = defineRoute({
  operationId: 'getPreset',
  method: 'GET',
  path: '/v1/presets/{presetName}',
  summary: 'One preset.',
  tag: 'presets',
  permission: 'read:jobs',
  params: z.strictObject({ presetName: PresetNameSchema }),
  responses: { 200: { description: 'The preset.', schema: PresetViewSchema } },
  async handle(request) {
    return { status: 200, body: PRESETS[request.params.presetName] };
  },
});
