import type { FastifyRequest } from 'fastify';
import type { Config } from '../config.js';

/**
 * The origin to put in front of links members copy and send (invite links), or '' for a link
 * relative to this site (ADR 0034). SANAD_PUBLIC_URL wins. Without it, the request's Host header
 * is believed only when the browser's own Origin header names the same origin: browsers set
 * Origin on form posts and page scripts cannot change it, so a forged Host (Host header
 * injection, a misrouted proxy) never ends up in a link. API clients send no Origin and get a
 * relative link unless the public URL is configured.
 */
export function publicOrigin(config: Config, request?: FastifyRequest): string {
  if (config.publicUrl) return config.publicUrl;
  const origin = request?.headers.origin;
  if (!request || typeof origin !== 'string') return '';
  try {
    const claimed = new URL(origin).origin;
    const served = new URL(`${request.protocol}://${request.host}`).origin;
    return claimed === served && claimed !== 'null' ? claimed : '';
  } catch {
    return '';
  }
}
