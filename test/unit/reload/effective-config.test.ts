import { describe, expect, it } from 'vitest';
import { parseConfigTexts } from '../../../src/config/load-config.ts';
import type { Config } from '../../../src/config/routes-schema.ts';
import type { LabelledContainerInfo } from '../../../src/providers/container-provider.ts';
import { EffectiveConfigLoader } from '../../../src/reload/effective-config.ts';
import { captureLogs } from '../lifecycle/lifecycle-fixtures.ts';

function files(port: number): Config {
  return parseConfigTexts({
    routes: { name: 'routes.yml', text: 'routes:\n  - path: /\n    service: web\n' },
    services: { name: 'services.yml', text: `services:\n  web:\n    container: web\n    port: ${port}\n` },
  });
}

function labelled(name: string): LabelledContainerInfo {
  return { id: `id-${name}`, name, labels: { 'wake-proxy.enable': 'true', 'wake-proxy.port': '8080', 'wake-proxy.route': `/${name}` } };
}

/** A loader whose files and labelled containers the test changes, counting the reads of each. */
function loaderOver(state: { port: number; containers: LabelledContainerInfo[] }) {
  const reads = { files: 0, labels: 0 };
  const loader = new EffectiveConfigLoader({
    loadFiles: () => {
      reads.files += 1;
      return Promise.resolve(files(state.port));
    },
    provider: {
      listLabelled: () => {
        reads.labels += 1;
        return Promise.resolve([...state.containers]);
      },
    },
    logger: captureLogs().logger,
  });
  return { loader, reads };
}

const names = (config: Config): string[] => config.services.map((s) => s.name).sort();

describe('EffectiveConfigLoader', () => {
  it('reads both the files and the labels on load', async () => {
    const state = { port: 80, containers: [labelled('api')] };
    const { loader, reads } = loaderOver(state);
    const config = await loader.load();
    expect(names(config)).toEqual(['api', 'web']);
    expect(reads).toEqual({ files: 1, labels: 1 });
  });

  it('reads the labels alone on a label check, beside the files as last read', async () => {
    const state = { port: 80, containers: [labelled('api')] };
    const { loader, reads } = loaderOver(state);
    await loader.extend(files(80));
    state.port = 81;
    state.containers.push(labelled('admin'));
    const config = await loader.relabel();
    expect(names(config)).toEqual(['admin', 'api', 'web']);
    // The edit to the files is left for the reload that reads them.
    expect(config.services.find((s) => s.name === 'web')?.port).toBe(80);
    expect(reads).toEqual({ files: 0, labels: 2 });
    expect((await loader.load()).services.find((s) => s.name === 'web')?.port).toBe(81);
    expect((await loader.relabel()).services.find((s) => s.name === 'web')?.port).toBe(81);
  });

  it('reads the files on a label check that comes before any read of them', async () => {
    const { loader, reads } = loaderOver({ port: 80, containers: [] });
    expect(names(await loader.relabel())).toEqual(['web']);
    expect(reads).toEqual({ files: 1, labels: 1 });
  });
});
