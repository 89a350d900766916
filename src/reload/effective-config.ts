/**
 * The configuration in force, read afresh: both files, plus the services that container labels
 * declare (label-config.ts), merged with the files winning (merge-label-config.ts).
 *
 * Policy: a label check (relabel) reads the labels alone, beside the files as last read: only a
 * reload that reads the files (load) sees an edit to them. A `compose_scale` service's instances
 * are the containers of its compose service listed now (so a reload after `compose up --scale`
 * picks up the new count); none found leaves the compose service name as the one instance (a wake
 * then says it is not found); a failed listing keeps the last list. Label problems and "the file
 * wins" warnings are logged when they change, not at every reload. When the engine cannot be
 * asked for labelled containers, the last label services read stay in force (a Docker outage
 * must not drop services), with one warning.
 */
import { ENABLE_LABEL, labelsToConfig, type LabelConfig } from '../config/label-config.ts';
import { mergeLabelConfig } from '../config/merge-label-config.ts';
import type { Config } from '../config/routes-schema.ts';
import { NO_ENV_DEFAULTS, type EnvServiceDefaults } from '../config/service-defaults.ts';
import type { Logger } from '../logging/logger.ts';
import type { ContainerProvider } from '../providers/container-provider.ts';

/** Reads files and labels into one Config; see the module header. */
export class EffectiveConfigLoader {
  readonly #loadFiles: () => Promise<Config>;
  readonly #provider: Pick<ContainerProvider, 'listLabelled' | 'listInstances'>;
  readonly #instances = new Map<string, readonly string[]>();
  readonly #log: Logger;
  #labels: LabelConfig = { services: [], routes: [], issues: [] };
  /** The files as last read and found valid (null until the first load or extend). */
  #files: Config | null = null;
  #lastReport = '';

  readonly #env: EnvServiceDefaults;

  constructor(deps: {
    loadFiles: () => Promise<Config>;
    provider: Pick<ContainerProvider, 'listLabelled' | 'listInstances'>;
    logger: Logger;
    envDefaults?: EnvServiceDefaults;
  }) {
    this.#loadFiles = deps.loadFiles;
    this.#env = deps.envDefaults ?? NO_ENV_DEFAULTS;
    this.#provider = deps.provider;
    this.#log = deps.logger;
  }

  /** Files (throws ConfigError when they are invalid) plus labels. */
  async load(): Promise<Config> {
    return this.extend(await this.#loadFiles());
  }

  /** Files plus labels read now (used at start-up, when the files were just loaded). */
  async extend(files: Config): Promise<Config> {
    this.#files = files;
    return this.#scaled(this.merge(files, await this.#readLabels()));
  }

  /** The files as last read plus labels read now (a label check); reads the files if never read. */
  relabel(): Promise<Config> {
    return this.#files === null ? this.load() : this.extend(this.#files);
  }

  /** The config with each compose_scale service's instances listed (see the policy). */
  async #scaled(config: Config): Promise<Config> {
    const list = this.#provider.listInstances?.bind(this.#provider);
    if (list === undefined || !config.services.some((s) => s.composeScale)) return config;
    const services = await Promise.all(
      config.services.map(async (s) => {
        if (!s.composeScale) return s;
        try {
          this.#instances.set(s.name, await list(s.container));
        } catch (err) {
          this.#log.warn({ service: s.name, container: s.container, err }, 'compose service containers could not be listed; the last list stays');
        }
        const names = this.#instances.get(s.name) ?? [];
        return names.length === 0 ? s : { ...s, container: names[0] ?? s.container, instances: [...names] };
      }),
    );
    return { ...config, services };
  }

  /** Files plus the given labels, reporting what changed in the problems and warnings. */
  merge(files: Config, labels: LabelConfig): Config {
    const { config, warnings } = mergeLabelConfig(files, labels);
    const report = JSON.stringify([labels.issues, warnings]);
    if (report !== this.#lastReport) {
      this.#lastReport = report;
      if (labels.issues.length > 0) this.#log.error({ issues: labels.issues }, 'container labels refused');
      for (const warning of warnings) this.#log.warn({ warning }, 'label configuration overridden');
    }
    return config;
  }

  async #readLabels(): Promise<LabelConfig> {
    try {
      this.#labels = labelsToConfig(await this.#provider.listLabelled(ENABLE_LABEL), this.#env);
    } catch (err) {
      this.#log.warn({ err }, 'labelled containers could not be listed; the last label services stay');
    }
    return this.#labels;
  }
}
