/**
 * Loads routes.yml and services.yml into one frozen Config.
 * Policy: all or nothing. Every problem in both files (read errors, YAML syntax, schema, cross
 * references) is collected and thrown together as one ConfigError, so a user fixes them in one
 * pass; a config with any problem is never half-applied.
 */
import { readFile } from 'node:fs/promises';
import { ConfigError } from '../errors.ts';
import { outlineRoutes, outlineServices } from './config-outline.ts';
import { crossCheckRoutes, crossCheckServices, type CrossCheckIssue } from './cross-check.ts';
import { deepFreeze } from './deep-freeze.ts';
import { describeIssues, sortByPosition } from './describe-issues.ts';
import { parseConfigFile, unreadableFile, type ConfigText, type ParsedConfigFile } from './parse-config-file.ts';
import { mergeServiceDefaults, NO_ENV_DEFAULTS, type EnvServiceDefaults } from './service-defaults.ts';
import { RoutesFileSchema, type Config, type RouteConfig } from './routes-schema.ts';
import { ServicesFileSchema, type ServiceConfig } from './services-schema.ts';

/** Where the two config files are; names appear in messages exactly as given. */
export interface ConfigPaths {
  readonly routesPath: string;
  readonly servicesPath: string;
}

/** The text of both files (tests and `validate` on in-memory text). */
export interface ConfigTexts {
  readonly routes: ConfigText;
  readonly services: ConfigText;
}

/** The cross-checks' view of each file: exact when it parsed, else read from its plain data. */
function outlines(routes: ParsedConfigFile<RouteConfig[]>, services: ParsedConfigFile<ServiceConfig[]>) {
  return {
    routes: routes.value ?? outlineRoutes(routes.data),
    services: services.value ?? outlineServices(services.data),
  };
}

function assemble(routes: ParsedConfigFile<RouteConfig[]>, services: ParsedConfigFile<ServiceConfig[]>, names: ConfigPaths): Config {
  const outline = outlines(routes, services);
  const cross = (file: ParsedConfigFile<unknown>, issues: readonly CrossCheckIssue[]) =>
    file.source === null || file.data === undefined ? [] : describeIssues(file.source, issues);
  // Every problem of a file in one list, ordered by position: schema and cross-check issues together.
  const routesLines = [...routes.lines, ...cross(routes, crossCheckRoutes(outline.routes, outline.services))];
  const servicesLines = [...services.lines, ...cross(services, crossCheckServices(outline.services ?? []))];
  if (routes.value === null || services.value === null || routesLines.length + servicesLines.length > 0) {
    throw new ConfigError([...sortByPosition(routesLines), ...sortByPosition(servicesLines)]);
  }
  return deepFreeze({
    routesFile: names.routesPath,
    servicesFile: names.servicesPath,
    routes: routes.value,
    services: services.value,
  });
}

function parseRoutes(file: ConfigText): ParsedConfigFile<RouteConfig[]> {
  return parseConfigFile(file, RoutesFileSchema, 'routes');
}

function parseServices(file: ConfigText, options: LoadOptions): ParsedConfigFile<ServiceConfig[]> {
  const envDefaults = options.envDefaults ?? NO_ENV_DEFAULTS;
  return parseConfigFile(file, ServicesFileSchema, 'services', (data) => mergeServiceDefaults(data, envDefaults));
}

/** What a load takes besides the files. */
export interface LoadOptions {
  /** Service defaults from the environment (env-schema.ts reads them); below the defaults block. */
  readonly envDefaults?: EnvServiceDefaults;
}

/** Parses both files from text; throws one ConfigError listing every problem. Pure. */
export function parseConfigTexts(files: ConfigTexts, options: LoadOptions = {}): Config {
  return assemble(parseRoutes(files.routes), parseServices(files.services, options), {
    routesPath: files.routes.name,
    servicesPath: files.services.name,
  });
}

async function readConfigText(path: string): Promise<ConfigText | string> {
  try {
    return { name: path, text: await readFile(path, 'utf8') };
  } catch (err) {
    const e = err as NodeJS.ErrnoException;
    const reason = e.code ? `${e.code}: ${e.message.replace(/^\w+: /, '').replace(/, \w+( .*)?$/, '')}` : e.message;
    return `${path}: cannot read file (${reason})`;
  }
}

/** Reads and parses both files; throws one ConfigError listing every problem in both. */
export async function loadConfig(paths: ConfigPaths, options: LoadOptions = {}): Promise<Config> {
  const [routes, services] = await Promise.all([readConfigText(paths.routesPath), readConfigText(paths.servicesPath)]);
  return assemble(
    typeof routes === 'string' ? unreadableFile(routes) : parseRoutes(routes),
    typeof services === 'string' ? unreadableFile(services) : parseServices(services, options),
    paths,
  );
}
