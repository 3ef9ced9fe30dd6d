import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { channelOf, eventNames, events, methodNames, methods, routeOf } from '../../src-main/api/contract.ts';
import { createContext } from '../../src-main/api/context.ts';
import { createDirectClient } from '../../src-main/api/direct.ts';
import { BettiError } from '../../src-main/api/errors.ts';
import { EventBus } from '../../src-main/api/events.ts';
import { createService } from '../../src-main/api/service.ts';

describe('the BettiApi contract', () => {
  it('gives every method a request schema, a response schema and a summary', () => {
    assert.ok(methodNames.length > 0);
    for (const name of methodNames) {
      const spec = methods[name];
      assert.equal(typeof spec.summary, 'string', name);
      assert.ok(spec.summary.length > 0, name);
      assert.equal(typeof spec.request.safeParse, 'function', name);
      assert.equal(typeof spec.response.safeParse, 'function', name);
    }
  });

  it('derives distinct channel and route names from method names', () => {
    assert.equal(new Set(methodNames.map(channelOf)).size, methodNames.length);
    assert.equal(new Set(methodNames.map(routeOf)).size, methodNames.length);
    assert.equal(channelOf('app.info'), 'betti:app.info');
    assert.equal(routeOf('app.info'), '/api/app.info');
  });

  it('gives every event a schema', () => {
    for (const name of eventNames) assert.equal(typeof (events[name] as { safeParse?: unknown }).safeParse, 'function', name);
  });

  it('has a handler in the service for every method', () => {
    const bus = new EventBus();
    const service = createService(createContext({ dbPath: ':memory:', bus }));
    for (const name of methodNames) assert.equal(typeof service[name], 'function', name);
  });
});

describe('the direct transport', () => {
  it('answers app.info with a response that satisfies its schema', async () => {
    const bus = new EventBus();
    const client = createDirectClient(createService(createContext({ dbPath: ':memory:', bus })), bus);
    const info = await client['app.info']({});
    assert.equal(info.name, 'betti');
    assert.equal(info.dbPath, ':memory:');
  });

  it('refuses a request that breaks the schema with invalid-request naming the method', async () => {
    const bus = new EventBus();
    const client = createDirectClient(createService(createContext({ dbPath: ':memory:', bus })), bus);
    await assert.rejects(
      // @ts-expect-error -- deliberately wrong input
      client['app.info']({ surprise: 1 }),
      (err: unknown) => err instanceof BettiError && err.kind === 'invalid-request' && err.message.startsWith('app.info:'),
    );
  });
});
