import { describe, expect, it } from 'vitest';
import { LineSplitter, parseDockerEvent } from '../../../../src/providers/docker/event-lines.ts';
import { eventLines } from './load-fixture.ts';

const ID = 'a8244951486a2478e433d15f2ce5097483d5606a7656e21a76e587386f7b85d8';

describe('LineSplitter', () => {
  it('returns only complete lines and keeps the rest for the next chunk', () => {
    const splitter = new LineSplitter();
    expect(splitter.push('{"a":1}\n{"b"')).toEqual(['{"a":1}']);
    expect(splitter.push(':2}')).toEqual([]);
    expect(splitter.push('\n\n{"c":3}\n')).toEqual(['{"b":2}', '{"c":3}']);
  });

  it('reassembles a multi-byte character split across chunks', () => {
    const bytes = Buffer.from('{"name":"café"}\n');
    const cut = bytes.indexOf(0xc3) + 1;
    const splitter = new LineSplitter();
    expect(splitter.push(bytes.subarray(0, cut))).toEqual([]);
    expect(splitter.push(bytes.subarray(cut))).toEqual(['{"name":"café"}']);
  });

  it('splits a recorded stream fed one byte at a time into the same lines', () => {
    const text = `${eventLines('events-lifecycle').join('\n')}\n`;
    const splitter = new LineSplitter();
    const lines = [...Buffer.from(text)].flatMap((byte) => splitter.push(Buffer.from([byte])));
    expect(lines).toEqual(eventLines('events-lifecycle'));
  });
});

describe('parseDockerEvent', () => {
  const parsed = eventLines('events-lifecycle').map(parseDockerEvent);

  it('keeps the followed container actions of a recorded lifecycle, in order', () => {
    const actions = parsed.flatMap((p) => (p ? [p.event.action] : []));
    expect(actions).toEqual(['create', 'start', 'health_status', 'pause', 'unpause', 'die', 'stop', 'destroy']);
  });

  it('reads the id, name, compose service and exit code of a die event', () => {
    const die = parsed.find((p) => p?.event.action === 'die');
    expect(die?.event).toEqual({
      action: 'die',
      id: ID,
      name: 'rec-ev',
      composeService: 'web',
      swarmService: null,
      exitCode: 0,
      time: 1795430006836,
    });
  });

  it('reads the nanosecond time exactly', () => {
    const die = parsed.find((p) => p?.event.action === 'die');
    expect(die?.timeNano).toBe(1795430006836724273n);
  });

  it('gives exitCode null for events other than die', () => {
    const start = parsed.find((p) => p?.event.action === 'start');
    expect(start?.event.exitCode).toBeNull();
  });

  it.each([
    ['a network event', '{"Type":"network","Action":"connect","Actor":{"ID":"n1","Attributes":{}},"time":1}'],
    ['an exec event', `{"Type":"container","Action":"exec_start: sh","Actor":{"ID":"${ID}","Attributes":{}},"time":1}`],
    ['a line that is not JSON', '{"Type":"container","Action":'],
    ['JSON that is not an object', '42'],
    ['an event without an id', '{"Type":"container","Action":"start","Actor":{"Attributes":{}},"time":1}'],
  ])('skips %s', (_name, line) => {
    expect(parseDockerEvent(line)).toBeNull();
  });

  it('reads the Swarm service of a task container', () => {
    const line = `{"Type":"container","Action":"start","Actor":{"ID":"${ID}","Attributes":{"name":"svc.1.abc","com.docker.swarm.service.name":"svc"}},"time":1}`;
    expect(parseDockerEvent(line)?.event).toMatchObject({ action: 'start', name: 'svc.1.abc', swarmService: 'svc' });
  });

  it('falls back on the time in seconds when timeNano is absent', () => {
    const line = `{"Type":"container","Action":"die","Actor":{"ID":"${ID}","Attributes":{"name":"x","exitCode":"137"}},"time":1700000000}`;
    expect(parseDockerEvent(line)).toEqual({
      event: { action: 'die', id: ID, name: 'x', composeService: null, swarmService: null, exitCode: 137, time: 1_700_000_000_000 },
      timeNano: 1_700_000_000_000_000_000n,
    });
  });
});
