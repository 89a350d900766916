/**
 * The configuration in force, read afresh: both files, plus the services that container labels
 * declare (label-config.ts), merged with the files winning (merge-label-config.ts).
 *
 * Policy: label problems and "the file wins" warnings are logged when they change, not at every
 * reload. When the engine cannot be asked for labelled containers, the last label services read
 * stay in force (a Docker outage must not drop services), with one warning.
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
  readonly #provider: Pick<ContainerProvider, 'listLabelled'>;
  readonly #log: Logger;
  #labels: LabelConfig = { services: [], routes: [], issues: [] };
  #lastReport = '';

  readonly #env: EnvServiceDefaults;

  constructor(deps: {
    loadFiles: () => Promise<Config>;
    provider: Pick<ContainerProvider, 'listLabelled'>;
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
    const files = await this.#loadFiles();
    return this.merge(files, await this.#readLabels());
  }

  /** Files plus labels read now (used at start-up, when the files were just loaded). */
  async extend(files: Config): Promise<Config> {
    return this.merge(files, await this.#readLabels());
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
