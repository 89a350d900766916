import { describe, expect, it } from 'vitest';
import { parseConfigTexts } from '../../../src/config/load-config.ts';
import type { Config } from '../../../src/config/routes-schema.ts';
import { ConfigError } from '../../../src/errors.ts';
import { ConfigReloader } from '../../../src/reload/config-reloader.ts';
import { captureLogs, linesWith } from '../lifecycle/lifecycle-fixtures.ts';

function config(port: number): Config {
  return parseConfigTexts({
    routes: { name: 'routes.yml', text: 'routes:\n  - path: /\n    service: web\n' },
    services: { name: 'services.yml', text: `services:\n  web:\n    container: web\n    port: ${port}\n` },
  });
}

describe('ConfigReloader', () => {
  it('applies a valid change and logs what changed', async () => {
    const { logger, lines } = captureLogs();
    const applied: Config[] = [];
    const reloader = new ConfigReloader(config(80), { load: async () => config(81), apply: (next) => void applied.push(next), logger });
    const outcome = await reloader.reload('signal');
    expect(outcome).toMatchObject({ ok: true, changed: true, diff: { servicesReplaced: ['web'] } });
    expect(applied).toHaveLength(1);
    expect(reloader.current().services[0]?.port).toBe(81);
    expect(linesWith(lines(), 'configuration reloaded')[0]).toMatchObject({ cause: 'signal', servicesReplaced: ['web'] });
  });

  it('keeps the running configuration when the files are invalid, and logs every located problem once', async () => {
    const { logger, lines } = captureLogs();
    const issues = ['services.yml:3:11 services.web.port: expected a whole number'];
    const reloader = new ConfigReloader(config(80), {
      load: () => Promise.reject(new ConfigError(issues)),
      apply: () => expect.unreachable(),
      logger,
    });
    expect(await reloader.reload('file')).toEqual({ ok: false, issues });
    expect(reloader.current().services[0]?.port).toBe(80);
    expect(linesWith(lines(), 'configuration reload refused: the running configuration stays')[0]).toMatchObject({ issues });
  });

  it('runs one reload at a time and folds requests made meanwhile into one more', async () => {
    const { logger } = captureLogs();
    let loads = 0;
    let release: () => void = () => undefined;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const reloader = new ConfigReloader(config(80), {
      load: async () => {
        loads += 1;
        if (loads === 1) await gate;
        return config(80 + loads);
      },
      apply: () => undefined,
      logger,
    });
    const first = reloader.reload('file');
    const second = reloader.reload('file');
    const third = reloader.reload('signal');
    release();
    await Promise.all([first, second, third]);
    expect(loads).toBe(2);
    expect(reloader.current().services[0]?.port).toBe(82);
  });

  it('passes the cause to the loader, and lets a waiting reload that reads the files cover a waiting label check', async () => {
    const { logger, lines } = captureLogs();
    const causes: string[] = [];
    let release: () => void = () => undefined;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const reloader = new ConfigReloader(config(80), {
      load: async (cause) => {
        causes.push(cause);
        if (causes.length === 1) await gate;
        return config(80 + causes.length);
      },
      apply: () => undefined,
      logger,
    });
    const running = reloader.reload('admin');
    const labels = reloader.reload('labels');
    const file = reloader.reload('file');
    const labelsAgain = reloader.reload('labels');
    release();
    await Promise.all([running, labels, file, labelsAgain]);
    expect(causes).toEqual(['admin', 'file']);
    expect(linesWith(lines(), 'configuration reloaded').map((l) => l['cause'])).toEqual(['admin', 'file']);
  });
});
