import type { FastifyRequest } from 'fastify';
import type { ServiceContext } from '../../app-context.js';
import { formatNumber, type Translate } from '../../i18n/index.js';
import type { Locale } from '../../i18n/locales.js';
import type { Member } from '../../security/actor.js';
import { pseudonymNames } from '../../security/anonymity.js';
import type { MessageJson } from './schemas.js';
import { loadDetails, presentMessage, type Reader } from './service.js';
import type { MessageRow } from './services/model.js';

/** An anonymous author's name in the reader's language, as posts name theirs ("Anonymous member (Olive 2)"). */
export function pseudonymNamer(t: Translate, locale: Locale): (pseudonym: number) => string {
  return (pseudonym) =>
    t('discussions.author.anonymous', {
      name: t('discussions.pseudonym', { index: String(pseudonym % pseudonymNames) }),
      number: formatNumber(locale, Math.floor(pseudonym / pseudonymNames) + 1),
    });
}

/** The member behind a request, as presenting messages reads them. */
export function readerOf(request: FastifyRequest, keys: { anonymity: Buffer }, actor: Member = request.member): Reader {
  return { actor, keys, pseudonymName: pseudonymNamer(request.t, request.locale) };
}

/** Messages as this reader receives them: every field `MessageSchema` lists, and nothing more. */
export async function presentMessages(
  ctx: ServiceContext,
  reader: Reader,
  rows: readonly MessageRow[],
): Promise<MessageJson[]> {
  const details = await loadDetails(ctx, rows);
  return rows.map((row) => presentMessage(details, row, reader));
}
