import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import type { FastifyRequest } from 'fastify';
import { visitor, type Actor } from '../security/actor.js';
import { policies, type RoutePolicy } from '../security/policy.js';
import { memberOf } from './app.js';
import { AppError } from '../platform/errors.js';

const request = (policy: RoutePolicy | undefined, actor: Actor) =>
  ({ actor, routeOptions: { url: '/somewhere', config: policy ? { policy } : {} } }) as unknown as FastifyRequest;
const layla: Actor = { kind: 'user', id: 'u1', username: 'layla', role: 'member', sessionId: 's1' };

test('request.member is the signed-in member on routes whose policy lets no visitor in', () => {
  for (const policy of [policies.signedIn, policies.moderator, policies.admin]) {
    const admin: Actor = { ...layla, role: 'admin' };
    assert.equal(memberOf(request(policy, admin)), admin, policy.policyName);
  }
});

test('request.member throws where the policy lets visitors in, even for a signed-in request', () => {
  for (const actor of [visitor, layla]) {
    assert.throws(() => memberOf(request(policies.anyone, actor)), /lets visitors in/);
    assert.throws(() => memberOf(request(undefined, actor)), /lets visitors in/);
  }
  // Never reached behind the policy hook, but never a visitor posing as a member either.
  assert.throws(
    () => memberOf(request(policies.signedIn, visitor)),
    (e) => e instanceof AppError && e.code === 'unauthenticated',
  );
});

test('routes read the member from request.member, never by casting the actor', () => {
  const features = path.resolve(import.meta.dirname, '..', 'features');
  for (const name of fs.readdirSync(features)) {
    const dir = path.join(features, name);
    if (!fs.statSync(dir).isDirectory()) continue;
    for (const file of fs.readdirSync(dir).filter((f) => /^routes.*\.tsx?$/.test(f)))
      assert.doesNotMatch(fs.readFileSync(path.join(dir, file), 'utf8'), /\bactor as Member\b/, `${name}/${file}`);
  }
});
