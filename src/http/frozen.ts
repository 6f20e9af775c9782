import type { FastifyRequest } from 'fastify';
import { AppError } from '../platform/errors.js';

const safeMethods = new Set(['GET', 'HEAD', 'OPTIONS']);

/**
 * A frozen account (a suspected infiltrator, or taken over: ADR 0051) reads as before and writes
 * nothing: every request that would change something is refused here, the one place all writes
 * pass, except those that only end its own session (`config.allowWhileFrozen`: sign-out). The
 * refusal reads like a passing failure, not a sanction, so whoever holds the account is not told
 * that moderators are onto them.
 */
export function refuseFrozenWrite(request: FastifyRequest): void {
  if (safeMethods.has(request.method)) return;
  if (request.actor.kind !== 'user' || !request.actor.frozen) return;
  if (request.routeOptions.config.allowWhileFrozen) return;
  throw new AppError('forbidden', 'error.notNow');
}
