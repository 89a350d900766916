/**
 * Loads routes.yml and services.yml into one frozen Config.
 * Policy: all or nothing. Every problem in both files (read errors, YAML syntax, schema, cross
 * references) is collected and thrown together as one ConfigError, so a user fixes them in one
 * pass; a config with any problem is never half-applied.
 */
import { readFile } from 'node:fs/promises';
import { ConfigError } from '../errors.ts';
import { crossCheckRoutes, crossCheckServices } from './cross-check.ts';
import { deepFreeze } from './deep-freeze.ts';
import { describeIssues } from './describe-issues.ts';
import { parseConfigFile, type ConfigText, type ParsedConfigFile } from './parse-config-file.ts';
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

function assemble(routes: ParsedConfigFile<RouteConfig[]>, services: ParsedConfigFile<ServiceConfig[]>, names: ConfigPaths): Config {
  const servicesLines = services.ok ? describeIssues(services.source, crossCheckServices(services.value)) : services.lines;
  let routesLines = routes.ok ? [] : routes.lines;
  if (routes.ok && services.ok) routesLines = describeIssues(routes.source, crossCheckRoutes(routes.value, services.value));
  const lines = [...routesLines, ...servicesLines];
  if (!routes.ok || !services.ok || lines.length > 0) throw new ConfigError(lines);
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

function parseServices(file: ConfigText): ParsedConfigFile<ServiceConfig[]> {
  return parseConfigFile(file, ServicesFileSchema, 'services');
}

/** Parses both files from text; throws one ConfigError listing every problem. Pure. */
export function parseConfigTexts(files: ConfigTexts): Config {
  return assemble(parseRoutes(files.routes), parseServices(files.services), {
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
export async function loadConfig(paths: ConfigPaths): Promise<Config> {
  const [routes, services] = await Promise.all([readConfigText(paths.routesPath), readConfigText(paths.servicesPath)]);
  const failed = (line: string) => ({ ok: false as const, lines: [line] });
  return assemble(
    typeof routes === 'string' ? failed(routes) : parseRoutes(routes),
    typeof services === 'string' ? failed(services) : parseServices(services),
    paths,
  );
}
