import assert from 'node:assert/strict';
import { randomInt, randomUUID } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import { createTestRuntime, type TestRuntime } from '../../../test/support/runtime.js';
import { TestClient, type TestResponse } from '../../../test/support/client.js';
import { createUser, defaultPassphrase } from '../../../test/support/seed.js';

const redisUrl = process.env.SANAD_TEST_REDIS_URL || 'redis://127.0.0.1:6379';
const wrong = (i: number) => `not the passphrase, guess ${i}`;
// A public unicast address: never 10/8 or 127/8, which the tests below trust as proxies.
const publicFirstOctets = Array.from({ length: 213 }, (_, i) => i + 11).filter((octet) => octet !== 127);
const randomAddress = () =>
  `${publicFirstOctets[randomInt(publicFirstOctets.length)]}.${randomInt(256)}.${randomInt(256)}.${1 + randomInt(254)}`;
const count = (responses: TestResponse[], status: number) => responses.filter((r) => r.status === status).length;

let rt: TestRuntime;
before(async () => {
  rt = await createTestRuntime();
});
after(async () => rt.close());

/** Signs in once in a browser so it holds the account's device cookie, then signs out. */
async function knownBrowser(runtime: TestRuntime, username: string): Promise<TestClient> {
  const browser = new TestClient(runtime.app);
  const res = await browser.submit('/login', '/login', { username, passphrase: defaultPassphrase, next: '/' });
  assert.equal(res.status, 303);
  assert.ok(browser.cookies.has('sanad_device'));
  await browser.submit('/', '/logout', {});
  return browser;
}

describe('behind one proxy, limits key on the address the proxy saw', () => {
  const proxy = '127.0.0.1';
  let proxied: TestRuntime;
  before(async () => {
    proxied = await createTestRuntime({ requestsPerMinute: 20 }, { SANAD_TRUST_PROXY: '1' });
  });
  after(async () => proxied.close());

  /** A client behind the proxy that writes a new X-Forwarded-For of its own on every request. */
  function spoofer(runtime: TestRuntime) {
    const client = new TestClient(runtime.app);
    client.remoteAddress = proxy;
    const real = randomAddress();
    const headers = () => ({ 'x-forwarded-for': `${randomAddress()}, ${real}` });
    return { client, headers };
  }

  test('the request limit holds when the left-most X-Forwarded-For changes each time', async () => {
    const { client, headers } = spoofer(proxied);
    const statuses: number[] = [];
    for (let i = 0; i < 22; i++) statuses.push((await client.get('/healthz', headers())).status);
    assert.deepEqual(statuses.slice(0, 20), Array(20).fill(200));
    assert.deepEqual(statuses.slice(20), [429, 429]);
    const neighbour = spoofer(proxied);
    assert.equal(
      (await neighbour.client.get('/healthz', neighbour.headers())).status,
      200,
      'another real address is not limited',
    );
  });

  test('sign-in and registration limits hold too', async () => {
    const runtime = await createTestRuntime({}, { SANAD_TRUST_PROXY: '1' });
    try {
      const { client, headers } = spoofer(runtime);
      let status = 0;
      let tries = 0;
      while (status !== 429 && tries < 40) {
        tries++;
        const body = { username: `nobody_${randomUUID().slice(0, 8)}`, passphrase: wrong(tries) };
        status = (await client.api('POST', '/api/v1/auth/login', body, headers())).status;
      }
      assert.equal(status, 429);
      assert.equal(tries, 31, 'thirty sign-ins from one address, whatever it claims to be');

      const registrations: number[] = [];
      for (let i = 0; i < 11; i++) {
        const body = { username: `newcomer_${randomUUID().slice(0, 8)}`, passphrase: 'short' };
        registrations.push((await client.api('POST', '/api/v1/auth/register', body, headers())).status);
      }
      assert.deepEqual(registrations, [...Array(10).fill(422), 429]);
    } finally {
      await runtime.close();
    }
  });

  test('with a list of proxy addresses, a client reaching Sanad directly cannot pose as another', async () => {
    const runtime = await createTestRuntime({ requestsPerMinute: 5 }, { SANAD_TRUST_PROXY: '10.0.0.0/8, 127.0.0.1' });
    try {
      const direct = new TestClient(runtime.app);
      direct.remoteAddress = randomAddress();
      const statuses: number[] = [];
      for (let i = 0; i < 6; i++)
        statuses.push((await direct.get('/healthz', { 'x-forwarded-for': randomAddress() })).status);
      assert.deepEqual(statuses, [200, 200, 200, 200, 200, 429]);
      const viaProxies = new TestClient(runtime.app);
      viaProxies.remoteAddress = '127.0.0.1';
      const real = randomAddress();
      const chain = () => ({ 'x-forwarded-for': `${randomAddress()}, ${real}, 10.1.2.3` });
      const proxied = [];
      for (let i = 0; i < 6; i++) proxied.push((await viaProxies.get('/healthz', chain())).status);
      assert.deepEqual(proxied, [200, 200, 200, 200, 200, 429], 'the address before the trusted proxies is the client');
    } finally {
      await runtime.close();
    }
  });
});

describe('concurrent guesses are counted before any passphrase is checked', () => {
  async function burst(runtime: TestRuntime) {
    const target = await createUser(runtime, { username: `burst_${randomUUID().slice(0, 8)}` });
    const stranger = new TestClient(runtime.app);
    const fromStranger = await Promise.all(
      Array.from({ length: 80 }, (_, i) =>
        stranger.api('POST', '/api/v1/auth/login', { username: target.username, passphrase: wrong(i) }),
      ),
    );
    // Every 401 is one Argon2 verification; a refused attempt is never verified.
    assert.equal(count(fromStranger, 401), 10, 'ten guesses per address and account, however many arrive at once');
    assert.equal(count(fromStranger, 429), 70);

    const seized = await knownBrowser(runtime, target.username);
    const fromDevice = await Promise.all(
      Array.from({ length: 60 }, (_, i) =>
        seized.api('POST', '/api/v1/auth/login', { username: target.username, passphrase: wrong(i) }),
      ),
    );
    assert.equal(count(fromDevice, 401), 10, 'ten guesses per device cookie');
    assert.equal(count(fromDevice, 429), 50);
  }

  test('in memory', async () => {
    await burst(rt);
  });

  test('in Redis, shared by instances', async () => {
    const shared = await createTestRuntime({ redisUrl });
    try {
      assert.equal(shared.ctx.limits.degraded, false, 'Redis is in use');
      await burst(shared);
      assert.equal(shared.ctx.limits.degraded, false, 'every count went through Redis, none fell back to memory');
    } finally {
      await shared.close();
    }
  });
});

describe('a stranger’s guesses never lock the owner out', () => {
  test('the owner signs in from a fresh browser and from the API while an attack runs and after it', async () => {
    const owner = await createUser(rt, { username: `owner_${randomUUID().slice(0, 8)}` });
    const attackers = Array.from({ length: 5 }, () => new TestClient(rt.app));
    const attack = Promise.all(
      attackers.map(async (attacker) => {
        const statuses: number[] = [];
        for (let i = 0; i < 16; i++) {
          statuses.push(
            (await attacker.api('POST', '/api/v1/auth/login', { username: owner.username, passphrase: wrong(i) }))
              .status,
          );
        }
        return statuses;
      }),
    );
    const freshBrowser = () =>
      new TestClient(rt.app).submit('/login', '/login', {
        username: owner.username,
        passphrase: defaultPassphrase,
        next: '/account',
      });
    const freshApi = () =>
      new TestClient(rt.app).api('POST', '/api/v1/auth/login', {
        username: owner.username,
        passphrase: defaultPassphrase,
      });
    const [during, duringApi] = await Promise.all([freshBrowser(), freshApi()]);
    const attempts = (await attack).flat();
    assert.ok(attempts.filter((status) => status === 429).length >= 25, 'the attackers are refused');
    assert.equal(during.status, 303);
    assert.equal(during.headers.location, '/account');
    assert.equal(duringApi.status, 200);
    assert.ok(duringApi.json().token);

    // Afterwards (the account is now under attack): a fresh browser, an API client, quick exit.
    assert.equal((await freshBrowser()).status, 303, 'a fresh browser (Tor Browser, a new phone) gets in');
    assert.equal((await freshApi()).status, 200, 'an API client gets in');
    const afterExit = new TestClient(rt.app);
    await afterExit.submit('/login', '/login', { username: owner.username, passphrase: defaultPassphrase, next: '/' });
    const exit = await afterExit.get('/exit', { 'sec-fetch-site': 'same-origin' });
    assert.match(String(exit.headers['clear-site-data']), /"cookies"/);
    afterExit.cookies.clear(); // as the browser does on Clear-Site-Data: the device cookie is gone
    const back = await afterExit.submit('/login', '/login', {
      username: owner.username,
      passphrase: defaultPassphrase,
      next: '/',
    });
    assert.equal(back.status, 303, 'the same browser after quick exit gets in');
  });

  test('under attack, an address that guessed wrong waits a quarter hour: a delay, never a block everywhere', async () => {
    const owner = await createUser(rt, { username: `slowed_${randomUUID().slice(0, 8)}` });
    for (let a = 0; a < 4; a++) {
      const attacker = new TestClient(rt.app);
      for (let i = 0; i < 10; i++)
        await attacker.api('POST', '/api/v1/auth/login', { username: owner.username, passphrase: wrong(i) });
    }
    const typist = new TestClient(rt.app);
    const typo = await typist.api('POST', '/api/v1/auth/login', { username: owner.username, passphrase: wrong(99) });
    assert.equal(typo.status, 401);
    const again = await typist.api('POST', '/api/v1/auth/login', {
      username: owner.username,
      passphrase: defaultPassphrase,
    });
    assert.equal(again.status, 429);
    const wait = Number(again.headers['retry-after']);
    assert.ok(wait > 0 && wait <= 15 * 60);
    const elsewhere = await new TestClient(rt.app).api('POST', '/api/v1/auth/login', {
      username: owner.username,
      passphrase: defaultPassphrase,
    });
    assert.equal(elsewhere.status, 200, 'another address gets in at once');
  });

  test('a recovery code works from a fresh client however many recoveries strangers tried', async () => {
    const client = new TestClient(rt.app);
    const username = `recovering_${randomUUID().slice(0, 8)}`;
    const registered = await client.api('POST', '/api/v1/auth/register', { username, passphrase: defaultPassphrase });
    assert.equal(registered.status, 201);
    for (let a = 0; a < 3; a++) {
      const stranger = new TestClient(rt.app);
      for (let i = 0; i < 12; i++) {
        await stranger.api('POST', '/api/v1/auth/recover', {
          username,
          code: `WRONG-${i}-CODE`,
          passphrase: 'a new passphrase for them',
        });
      }
    }
    const fresh = new TestClient(rt.app);
    const code = registered.json().recoveryCodes[0];
    const recovered = await fresh.api('POST', '/api/v1/auth/recover', {
      username,
      code,
      passphrase: 'my own brand new passphrase',
    });
    assert.equal(recovered.status, 200);
  });
});

describe('a seized device cookie', () => {
  test('answers alike for every username, so it cannot tell whose it is', async () => {
    const owner = await createUser(rt, { username: `phone_owner_${randomUUID().slice(0, 8)}` });
    const other = await createUser(rt, { username: `someone_else_${randomUUID().slice(0, 8)}` });
    const candidates = [owner.username, other.username, `nobody_${randomUUID().slice(0, 8)}`];
    const seizedCookie = (await knownBrowser(rt, owner.username)).cookies.get('sanad_device')!;

    const seizer = new TestClient(rt.app);
    // Spend every limit this address has, without the cookie, on each candidate and others.
    for (let i = 0; i < 31; i++) {
      await seizer.api('POST', '/api/v1/auth/login', {
        username: `filler_${i}_${randomUUID().slice(0, 6)}`,
        passphrase: wrong(i),
      });
    }
    for (const username of candidates) {
      for (let i = 0; i < 11; i++) await seizer.api('POST', '/api/v1/auth/login', { username, passphrase: wrong(i) });
    }
    assert.equal(
      (await seizer.api('POST', '/api/v1/auth/login', { username: owner.username, passphrase: wrong(0) })).status,
      429,
    );

    seizer.cookies.set('sanad_device', seizedCookie);
    const answers = [];
    for (const username of candidates) {
      const statuses = [];
      for (let i = 0; i < 12; i++) {
        statuses.push((await seizer.api('POST', '/api/v1/auth/login', { username, passphrase: wrong(i) })).status);
      }
      answers.push(statuses);
    }
    assert.deepEqual(answers[0], [...Array(10).fill(401), 429, 429]);
    assert.deepEqual(answers[1], answers[0], 'another member’s username answers the same');
    assert.deepEqual(answers[2], answers[0], 'a username nobody has answers the same');

    // A made-up cookie is no cookie: it buys no attempts beyond the address's.
    const forger = new TestClient(rt.app);
    forger.remoteAddress = seizer.remoteAddress;
    forger.cookies.set('sanad_device', `${'A'.repeat(44)}.${'B'.repeat(43)}`);
    const forged = await forger.api('POST', '/api/v1/auth/login', { username: other.username, passphrase: wrong(1) });
    assert.equal(forged.status, 429);

    // The owner's other browser, behind the same spent address, still gets in.
    const laptop = await knownBrowser(rt, owner.username);
    laptop.remoteAddress = seizer.remoteAddress;
    const res = await laptop.submit('/login', '/login', {
      username: owner.username,
      passphrase: defaultPassphrase,
      next: '/',
    });
    assert.equal(res.status, 303);
  });
});
