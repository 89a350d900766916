import { describe, expect, it } from 'vitest';
import { formatConfigPath } from '../../../src/config/config-issue.ts';
import {
  describeIssue,
  describeIssues,
  describeYamlErrors,
  locate,
  parseSource,
  toConfigIssues,
} from '../../../src/config/describe-issues.ts';
import { friendlyIssueMessage } from '../../../src/config/issue-messages.ts';
import { ServicesFileSchema } from '../../../src/config/services-schema.ts';

const TEXT = [
  'services:', //                      1
  '  api:', //                         2
  '    container: demo-api', //        3
  '    depends_on: [db, cache]', //    4
  '    sleep_policy:', //              5
  '      idle_timeout: 5 minutes', //  6
].join('\n');

describe('formatConfigPath', () => {
  it.each([
    [[], ''],
    [['services', 'api', 'port'], 'services.api.port'],
    [['routes', 0, 'service'], 'routes[0].service'],
    [['services', 'my.svc', 'depends_on', 1], 'services["my.svc"].depends_on[1]'],
  ] as const)('writes %j as %j', (path, text) => {
    expect(formatConfigPath(path)).toBe(text);
  });
});

describe('locate', () => {
  const source = parseSource('services.yml', TEXT);

  it.each([
    ['a scalar value', ['services', 'api', 'sleep_policy', 'idle_timeout'], undefined, { line: 6, col: 21 }],
    ['a list item', ['services', 'api', 'depends_on', 1], undefined, { line: 4, col: 22 }],
    ['a map key', ['services', 'api'], 'depends_on', { line: 4, col: 5 }],
    ['a missing key, at the map that lacks it', ['services', 'api', 'port'], undefined, { line: 3, col: 5 }],
    ['a missing nested key, at the nearest existing map', ['services', 'api', 'health_check', 'path'], undefined, { line: 3, col: 5 }],
    ['a missing key named as a key', ['services', 'api'], 'bogus', { line: 3, col: 5 }],
    ['the whole file', [], undefined, { line: 1, col: 1 }],
  ] as const)('finds %s', (_name, path, key, position) => {
    expect(locate(source, path, key)).toEqual(position);
  });
});

describe('describeIssue', () => {
  const source = parseSource('conf/services.yml', TEXT);

  it('starts with the file name as given, then line:col, path and message', () => {
    expect(describeIssue(source, { path: ['services', 'api', 'depends_on', 0], message: 'unknown service "db"' })).toBe(
      'conf/services.yml:4:18 services.api.depends_on[0]: unknown service "db"',
    );
  });

  it('leaves the path out for a whole-file problem', () => {
    expect(describeIssue(source, { path: [], message: 'bad' })).toBe('conf/services.yml:1:1 bad');
  });

  it('orders several issues by position', () => {
    const lines = describeIssues(source, [
      { path: ['services', 'api', 'sleep_policy', 'idle_timeout'], message: 'late' },
      { path: ['services', 'api', 'container'], message: 'early' },
    ]);
    expect(lines.map((l) => l.split(' ')[0])).toEqual(['conf/services.yml:3:16', 'conf/services.yml:6:21']);
  });
});

describe('toConfigIssues', () => {
  const issuesFor = (data: unknown) => {
    const result = ServicesFileSchema.safeParse(data, { error: friendlyIssueMessage });
    return toConfigIssues(result.error?.issues ?? []);
  };

  it('splits unknown keys into one issue per key, pointed at the key', () => {
    expect(issuesFor({ services: { a: { container: 'a', port: 1, x: 1, y: 2 } } })).toEqual([
      { path: ['services', 'a'], key: 'x', message: 'unknown key "x"' },
      { path: ['services', 'a'], key: 'y', message: 'unknown key "y"' },
    ]);
  });

  it('points a badly named map key at the key, with the schema\'s reason', () => {
    expect(issuesFor({ services: { 'a b': { container: 'a', port: 1 } } })).toEqual([
      { path: ['services'], key: 'a b', message: 'invalid name "a b": service names use letters, digits, ".", "_" and "-"' },
    ]);
  });

  it('says "required" for a missing key and shows the found value otherwise', () => {
    expect(issuesFor({}).map((i) => i.message)).toEqual(['required']);
    expect(issuesFor({ services: { a: { container: 'a', port: 'x' } } }).map((i) => i.message)).toEqual(['expected a number, got "x"']);
  });
});

describe('describeYamlErrors', () => {
  it('names file:line:col of a syntax error', () => {
    const source = parseSource('routes.yml', 'routes:\n  - path: /a\n    service: [web\n');
    const lines = describeYamlErrors(source);
    expect(lines.length).toBeGreaterThan(0);
    expect(lines[0]).toMatch(/^routes\.yml:\d+:\d+ YAML syntax error: \S/);
  });

  it('reports a duplicate key where the second one is', () => {
    const source = parseSource('routes.yml', 'routes: []\nroutes: []\n');
    expect(describeYamlErrors(source)).toEqual(['routes.yml:2:1 YAML syntax error: Map keys must be unique']);
  });
});
