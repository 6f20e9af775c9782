import type { ServiceContext } from '../../app-context.js';

export async function ensureSetupLink(_ctx: ServiceContext): Promise<string | null> {
  return null;
}
