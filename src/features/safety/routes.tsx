import type { FastifyReply, FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import type { AppContext } from '../../app-context.js';
import { serviceContext } from '../../app-context.js';
import type { App } from '../../http/app.js';
import { formRoute, type FormProblem } from '../../http/forms.js';
import { formFields, Id, NoContent, responses } from '../../http/schemas.js';
import { policies } from '../../security/policy.js';
import { Person, PersonInput, SlowModeInput, WatchedWordInput, WatchedWordSchema } from './schemas.js';
import {
  addRelation,
  addWatchedWord,
  groupSlowMode,
  listRelations,
  listWatchedWords,
  loadGroupForTools,
  loadThreadForTools,
  removeRelation,
  removeWatchedWord,
  setGroupSlowMode,
  setThreadSlowMode,
  type Relation,
} from './service.js';
import {
  type FormState,
  GroupToolsPage,
  InstanceWordsPage,
  isPeopleNotice,
  PeoplePage,
  ThreadSlowModePage,
  toolsNoticeOf,
} from './views.js';

const tags = ['member tools'];
const signedIn = { policy: policies.signedIn };
const moderator = { policy: policies.moderator };
const IdParams = Type.Object({ id: Id });
const Done = Type.Object({ done: Type.Optional(Type.String({ maxLength: 20 })) });

const stateOf = (form: string, values: Record<string, string | undefined>, problem: FormProblem): FormState => ({
  form,
  values: Object.fromEntries(Object.entries(values).map(([k, v]) => [k, v ?? ''])),
  errors: problem.errors,
  general: problem.general,
});

export async function safetyToolsRoutes(app: App, ctx: AppContext): Promise<void> {
  const sctx = () => serviceContext(ctx);

  // Blocks and mutes: the account page lists them with undo; the post menu's forms post here too.
  const showPeople = async (request: FastifyRequest, reply: FastifyReply, state?: FormState, status = 200) => {
    const member = request.member;
    const [blocks, mutes] = await Promise.all([
      listRelations(sctx(), member, 'block'),
      listRelations(sctx(), member, 'mute'),
    ]);
    const done = (request.query as { done?: string } | undefined)?.done;
    return reply.page(
      request.t('safetyTools.people.title'),
      <PeoplePage blocks={blocks} mutes={mutes} notice={isPeopleNotice(done) ? done : undefined} state={state} />,
      status,
    );
  };

  app.get('/account/blocks', { config: signedIn, schema: { querystring: Done } }, (request, reply) =>
    showPeople(request, reply),
  );

  for (const [path, relation, added, removed] of [
    ['blocks', 'block', 'blocked', 'unblocked'],
    ['mutes', 'mute', 'muted', 'unmuted'],
  ] as const) {
    app.post(
      `/account/${path}`,
      { config: signedIn, schema: { body: formFields('username', 'userId') } },
      (request, reply) =>
        formRoute(reply, {
          run: () =>
            addRelation(sctx(), request.member, relation, {
              username: request.body.username,
              userId: request.body.userId,
            }),
          done: () => `/account/blocks?done=${added}`,
          again: (problem) =>
            showPeople(request, reply, stateOf(path, { username: request.body.username }, problem), problem.status),
        }),
    );
    app.post(
      `/account/${path}/:id/delete`,
      { config: signedIn, schema: { params: IdParams, body: formFields() } },
      async (request, reply) => {
        await removeRelation(sctx(), request.member, relation, request.params.id);
        return reply.redirect(`/account/blocks?done=${removed}`, 303);
      },
    );
    apiRelations(app, path, relation);
  }

  function apiRelations(app: App, path: 'blocks' | 'mutes', relation: Relation) {
    const what = relation === 'block' ? 'blocked' : 'muted';
    app.get(
      `/api/v1/${path}`,
      {
        config: signedIn,
        schema: {
          summary: `Members you have ${what}`,
          description: 'Only your own; never who has blocked you.',
          tags,
          response: responses({ 200: Type.Object({ [path]: Type.Array(Person) }) }, 401),
        },
      },
      async (request) => ({ [path]: await listRelations(sctx(), request.member, relation) }),
    );
    app.post(
      `/api/v1/${path}`,
      {
        config: signedIn,
        schema: {
          summary: relation === 'block' ? 'Block a member' : 'Mute a member',
          description:
            relation === 'block'
              ? 'Neither sees the other’s named posts, and neither can mention, answer or react to the other. They are not told. Blocking twice changes nothing.'
              : 'Hides their named posts from you only. They are not told.',
          tags,
          body: PersonInput,
          response: responses({ 201: Type.Object({ [relation]: Person }) }, 401, 422),
        },
      },
      async (request, reply) => {
        const person = await addRelation(sctx(), request.member, relation, request.body ?? {});
        return reply.code(201).send({ [relation]: person });
      },
    );
    app.delete(
      `/api/v1/${path}/:userId`,
      {
        config: signedIn,
        schema: {
          summary: relation === 'block' ? 'Unblock a member' : 'Unmute a member',
          tags,
          params: Type.Object({ userId: Id }),
          response: responses({ 204: NoContent }, 401),
        },
      },
      async (request, reply) => {
        await removeRelation(sctx(), request.member, relation, request.params.userId);
        return reply.code(204).send();
      },
    );
  }

  // Watched words of the whole instance: its moderators.
  const showInstanceWords = async (request: FastifyRequest, reply: FastifyReply, state?: FormState, status = 200) => {
    const words = await listWatchedWords(sctx(), request.member, null);
    const done = toolsNoticeOf((request.query as { done?: string } | undefined)?.done);
    return reply.page(
      request.t('safetyTools.watched.instanceTitle'),
      <InstanceWordsPage words={words} notice={done} state={state} />,
      status,
    );
  };
  app.get('/moderation/watched-words', { config: moderator, schema: { querystring: Done } }, (request, reply) =>
    showInstanceWords(request, reply),
  );
  app.post(
    '/moderation/watched-words',
    { config: moderator, schema: { body: formFields('phrase', 'action') } },
    (request, reply) =>
      formRoute(reply, {
        run: () =>
          addWatchedWord(sctx(), request.member, {
            phrase: request.body.phrase ?? '',
            action: request.body.action ?? '',
            groupId: null,
          }),
        done: () => '/moderation/watched-words?done=added',
        again: (problem) => showInstanceWords(request, reply, stateOf('words', request.body, problem), problem.status),
      }),
  );
  app.post(
    '/moderation/watched-words/:id/delete',
    { config: moderator, schema: { params: IdParams, body: formFields() } },
    async (request, reply) => {
      await removeWatchedWord(sctx(), request.member, request.params.id);
      return reply.redirect('/moderation/watched-words?done=removed', 303);
    },
  );

  // A group's watched words and slow mode: its owner and moderators.
  const showGroupTools = async (
    request: FastifyRequest,
    reply: FastifyReply,
    groupId: string,
    state?: FormState,
    status = 200,
  ) => {
    const { group } = await loadGroupForTools(sctx(), request.member, groupId);
    const [words, seconds] = await Promise.all([
      listWatchedWords(sctx(), request.member, group.id),
      groupSlowMode(sctx(), group.id),
    ]);
    const done = toolsNoticeOf((request.query as { done?: string } | undefined)?.done);
    return reply.page(
      request.t('safetyTools.group.title'),
      <GroupToolsPage
        groupId={group.id}
        groupName={group.name}
        words={words}
        seconds={seconds}
        notice={done}
        state={state}
      />,
      status,
    );
  };
  app.get(
    '/groups/:id/tools',
    { config: signedIn, schema: { params: IdParams, querystring: Done } },
    (request, reply) => showGroupTools(request, reply, request.params.id),
  );
  app.post(
    '/groups/:id/watched-words',
    { config: signedIn, schema: { params: IdParams, body: formFields('phrase', 'action') } },
    (request, reply) =>
      formRoute(reply, {
        run: () =>
          addWatchedWord(sctx(), request.member, {
            phrase: request.body.phrase ?? '',
            action: request.body.action ?? '',
            groupId: request.params.id,
          }),
        done: () => `/groups/${request.params.id}/tools?done=added#words`,
        again: (problem) =>
          showGroupTools(request, reply, request.params.id, stateOf('words', request.body, problem), problem.status),
      }),
  );
  app.post(
    '/groups/:id/watched-words/:wordId/delete',
    { config: signedIn, schema: { params: Type.Object({ id: Id, wordId: Id }), body: formFields() } },
    async (request, reply) => {
      await removeWatchedWord(sctx(), request.member, request.params.wordId);
      return reply.redirect(`/groups/${request.params.id}/tools?done=removed#words`, 303);
    },
  );
  app.post(
    '/groups/:id/slow-mode',
    { config: signedIn, schema: { params: IdParams, body: formFields('seconds', 'reason') } },
    (request, reply) =>
      formRoute(reply, {
        run: () =>
          setGroupSlowMode(sctx(), request.member, request.params.id, {
            seconds: secondsOf(request.body.seconds),
            reason: request.body.reason,
          }),
        done: () => `/groups/${request.params.id}/tools?done=saved`,
        again: (problem) =>
          showGroupTools(request, reply, request.params.id, stateOf('slow', request.body, problem), problem.status),
      }),
  );

  // One thread's slow mode.
  const showThreadSlowMode = async (
    request: FastifyRequest,
    reply: FastifyReply,
    threadId: string,
    state?: FormState,
    status = 200,
  ) => {
    const { thread } = await loadThreadForTools(sctx(), request.member, threadId);
    const done = toolsNoticeOf((request.query as { done?: string } | undefined)?.done);
    return reply.page(
      request.t('safetyTools.slowMode.threadTitle'),
      <ThreadSlowModePage
        threadId={thread.id}
        title={thread.title}
        seconds={thread.slow_mode_seconds ?? 0}
        notice={done}
        state={state}
      />,
      status,
    );
  };
  app.get(
    '/threads/:id/slow-mode',
    { config: signedIn, schema: { params: IdParams, querystring: Done } },
    (request, reply) => showThreadSlowMode(request, reply, request.params.id),
  );
  app.post(
    '/threads/:id/slow-mode',
    { config: signedIn, schema: { params: IdParams, body: formFields('seconds', 'reason') } },
    (request, reply) =>
      formRoute(reply, {
        run: () =>
          setThreadSlowMode(sctx(), request.member, request.params.id, {
            seconds: secondsOf(request.body.seconds),
            reason: request.body.reason,
          }),
        done: () => `/threads/${request.params.id}/slow-mode?done=saved`,
        again: (problem) =>
          showThreadSlowMode(request, reply, request.params.id, stateOf('slow', request.body, problem), problem.status),
      }),
  );

  // The API of watched words and slow mode.
  app.get(
    '/api/v1/watched-words',
    {
      config: signedIn,
      schema: {
        summary: "Watched words: the instance's (its moderators) or a group's (its owner and moderators)",
        tags,
        querystring: Type.Object({ groupId: Type.Optional(Id) }),
        response: responses({ 200: Type.Object({ watchedWords: Type.Array(WatchedWordSchema) }) }, 401, 403, 404),
      },
    },
    async (request) => ({
      watchedWords: await listWatchedWords(sctx(), request.member, request.query.groupId ?? null),
    }),
  );
  app.post(
    '/api/v1/watched-words',
    {
      config: signedIn,
      schema: {
        summary: 'Watch a word or phrase',
        description:
          'Matched as whole words on text normalised as search normalises it (tashkeel, tatweel, letter variants, ' +
          'case). `block` refuses a post holding it (422, naming the word beside the field); `hold` saves it hidden ' +
          'and opens a case in the moderation queue; `flag` publishes it and opens a case. A phrase already on the list takes the new action.',
        tags,
        body: WatchedWordInput,
        response: responses({ 201: Type.Object({ watchedWord: WatchedWordSchema }) }, 401, 403, 404, 422),
      },
    },
    async (request, reply) => {
      const word = await addWatchedWord(sctx(), request.member, {
        phrase: request.body.phrase,
        action: request.body.action,
        groupId: request.body.groupId ?? null,
      });
      return reply.code(201).send({ watchedWord: word });
    },
  );
  app.delete(
    '/api/v1/watched-words/:id',
    {
      config: signedIn,
      schema: {
        summary: 'Stop watching a word',
        tags,
        params: IdParams,
        response: responses({ 204: NoContent }, 401, 404),
      },
    },
    async (request, reply) => {
      await removeWatchedWord(sctx(), request.member, request.params.id);
      return reply.code(204).send();
    },
  );
  const SlowMode = Type.Object({ slowMode: Type.Object({ seconds: Type.Integer({ minimum: 0 }) }) });
  app.put(
    '/api/v1/groups/:id/slow-mode',
    {
      config: signedIn,
      schema: {
        summary: "Set a group's slow mode (its owner and moderators)",
        description:
          "The least seconds between one member's posts in the group; 0 turns it off. Moderators are exempt. " +
          'A post sent sooner is refused with 429 and Retry-After. Recorded in the moderation log.',
        tags,
        params: IdParams,
        body: SlowModeInput,
        response: responses({ 200: SlowMode }, 401, 403, 404, 422),
      },
    },
    async (request) => ({
      slowMode: await setGroupSlowMode(sctx(), request.member, request.params.id, request.body),
    }),
  );
  app.put(
    '/api/v1/threads/:id/slow-mode',
    {
      config: signedIn,
      schema: {
        summary: "Set one thread's slow mode (its group's owner and moderators)",
        description: 'As for a group, in this thread alone; the stricter of the two applies.',
        tags,
        params: IdParams,
        body: SlowModeInput,
        response: responses({ 200: SlowMode }, 401, 403, 404, 422),
      },
    },
    async (request) => ({
      slowMode: await setThreadSlowMode(sctx(), request.member, request.params.id, request.body),
    }),
  );
}

/** A form's seconds: a whole number, or NaN for the service to refuse beside the field. */
const secondsOf = (value: string | undefined): number =>
  value && /^\d{1,6}$/.test(value.trim()) ? Number(value) : Number.NaN;
