/**
 * The catalogue of every error wake-proxy raises on purpose.
 *
 * Policy: each class has a stable `code` (`WP_*`) that logs, tests and the README refer to.
 * HTTP statuses are not decided here: `proxy/error-response.ts` is the only place that maps a
 * code to a status, so the core never learns about HTTP. `architecture.test.ts` checks that the
 * README's error table lists exactly the codes exported here.
 */

/** Base class: every error wake-proxy raises on purpose carries a stable `code`. */
export class WakeProxyError extends Error {
  readonly code: string;
  constructor(code: string, message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = new.target.name;
    this.code = code;
  }
}

/** A config file could not be read, parsed or validated; `issues` holds one located line each. */
export class ConfigError extends WakeProxyError {
  readonly issues: readonly string[];
  constructor(issues: readonly string[]) {
    super('WP_CONFIG_INVALID', `invalid configuration:\n  ${issues.join('\n  ')}`);
    this.issues = issues;
  }
}

/** No route matches the request's host and path. */
export class RouteNotFoundError extends WakeProxyError {
  constructor(host: string, path: string) {
    super('WP_ROUTE_NOT_FOUND', `no route for host "${clip(host)}" and path "${clip(path)}"`);
  }
}

/** A request method wake-proxy never forwards (CONNECT: it is no forward proxy; TRACE). */
export class MethodNotAllowedError extends WakeProxyError {
  /** The methods the proxy does forward, for the Allow header. */
  static readonly ALLOW = 'GET, HEAD, POST, PUT, PATCH, DELETE, OPTIONS';
  constructor(method: string) {
    super('WP_METHOD_NOT_ALLOWED', `method ${clip(method)} is never forwarded`);
  }
}

/** Client-sent text in a message, cut to a length fit for one log line. */
function clip(text: string, max = 200): string {
  return text.length > max ? `${text.slice(0, max)}…` : text;
}

/** The request path is unsafe (traversal, encoded slash) or malformed. */
export class BadRequestPathError extends WakeProxyError {
  constructor(reason: string) {
    super('WP_BAD_REQUEST_PATH', `refused request path: ${reason}`);
  }
}

/** The request is malformed in a way Node's parser lets through: Host, request line, headers. */
export class BadRequestError extends WakeProxyError {
  constructor(reason: string) {
    super('WP_BAD_REQUEST', `refused request: ${reason}`);
  }
}

/** The request line names an HTTP version other than 1.0 or 1.1 (HTTP/0.9, HTTP/2.0 in text). */
export class HttpVersionNotSupportedError extends WakeProxyError {
  constructor(version: string) {
    super('WP_HTTP_VERSION', `HTTP/${version} is not supported on this listener (HTTP/1.0 and HTTP/1.1 are)`);
  }
}

/** Details a wake failure or timeout carries so the log line explains itself. */
export interface WakeFailureDetails {
  readonly service: string;
  /** The step the wake was in when it gave up: provider call, waiting for the container, probing, dependency. */
  readonly step: 'dependency' | 'provider' | 'running' | 'ready';
  readonly waitedMs: number;
  /** Docker's view of the container when it gave up, e.g. `exited (code 3)`. */
  readonly containerState?: string;
  /** The last readiness probe result, e.g. `HTTP 503` or `ECONNREFUSED`. */
  readonly lastProbe?: string;
  readonly exitCode?: number;
  /** Readiness probes run before it gave up. */
  readonly probes?: number;
}

/** A wake did not reach readiness within `health_check.timeout`. */
export class WakeTimeoutError extends WakeProxyError {
  readonly details: WakeFailureDetails;
  constructor(details: WakeFailureDetails, options?: ErrorOptions) {
    super(
      'WP_WAKE_TIMEOUT',
      `service "${details.service}" not ready after ${details.waitedMs} ms (stuck at: ${details.step}` +
        `${details.probes === undefined ? '' : `, probes: ${details.probes}`}` +
        `${details.lastProbe ? `, last probe: ${details.lastProbe}` : ''})`,
      options,
    );
    this.details = details;
  }
}

/** A wake failed for good: the container exited, died, was OOM-killed, is missing, or a dependency failed. */
export class WakeFailedError extends WakeProxyError {
  readonly details: WakeFailureDetails;
  constructor(details: WakeFailureDetails, reason: string, options?: ErrorOptions) {
    super('WP_WAKE_FAILED', `service "${details.service}" failed to wake: ${reason}`, options);
    this.details = details;
  }
}

/** The container runtime cannot be reached (socket missing, daemon down). */
export class ProviderUnavailableError extends WakeProxyError {
  constructor(endpoint: string, options?: ErrorOptions) {
    super('WP_PROVIDER_UNAVAILABLE', `cannot reach the Docker engine at ${endpoint}`, options);
  }
}

/** The configured container does not exist (neither by name nor by compose service label). */
export class ContainerNotFoundError extends WakeProxyError {
  constructor(container: string) {
    super(
      'WP_CONTAINER_NOT_FOUND',
      `no container named "${container}" or labelled com.docker.compose.service=${container}`,
    );
  }
}

/** The runtime refused an operation for a reason that is not "already done". */
export class ProviderOperationError extends WakeProxyError {
  constructor(operation: string, container: string, reason: string, options?: ErrorOptions) {
    super('WP_PROVIDER_FAILED', `docker ${operation} of "${container}" failed: ${reason}`, options);
  }
}

/** Too many requests are already held for a waking service. */
export class HoldQueueFullError extends WakeProxyError {
  readonly retryAfterSeconds: number;
  constructor(service: string, limit: number, retryAfterSeconds: number) {
    super('WP_HOLD_QUEUE_FULL', `service "${service}" already holds ${limit} requests`);
    this.retryAfterSeconds = retryAfterSeconds;
  }
}

/** A request rule says this request must not wake the service, and it is asleep. */
export class ServiceAsleepError extends WakeProxyError {
  readonly retryAfterSeconds: number;
  constructor(service: string, retryAfterSeconds: number) {
    super('WP_SERVICE_ASLEEP', `service "${service}" is asleep and this request may not wake it`);
    this.retryAfterSeconds = retryAfterSeconds;
  }
}

/** The upstream refused or reset the connection. */
export class UpstreamUnreachableError extends WakeProxyError {
  constructor(service: string, reason: string, options?: ErrorOptions) {
    super('WP_UPSTREAM_UNREACHABLE', `upstream of service "${service}" unreachable: ${reason}`, options);
  }
}

/** The upstream did not answer in time. */
export class UpstreamTimeoutError extends WakeProxyError {
  constructor(service: string, reason: string, options?: ErrorOptions) {
    super('WP_UPSTREAM_TIMEOUT', `upstream of service "${service}" timed out: ${reason}`, options);
  }
}

/** A state change the transition table forbids was attempted: a bug, never a user error. */
export class InvalidTransitionError extends WakeProxyError {
  constructor(service: string, from: string, to: string) {
    super('WP_INVALID_TRANSITION', `service "${service}": transition ${from} -> ${to} is not allowed`);
  }
}

/** An operator asked to sleep or stop a service that is in use: it would freeze or cut that work. */
export class ServiceBusyError extends WakeProxyError {
  constructor(service: string, reason: string) {
    super('WP_SERVICE_BUSY', `service "${service}" is in use (${reason}); it sleeps by itself once idle`);
  }
}

/** The proxy is shutting down and takes no new work. */
export class ShuttingDownError extends WakeProxyError {
  constructor() {
    super('WP_SHUTTING_DOWN', 'wake-proxy is shutting down');
  }
}

/** An admin API request body that is not JSON, too large, or does not pass the schema. */
export class BadRequestBodyError extends WakeProxyError {
  readonly issues: readonly string[];
  constructor(issues: readonly string[]) {
    super('WP_BAD_REQUEST_BODY', `invalid request body: ${issues.join('; ')}`);
    this.issues = issues;
  }
}

/** An admin request from a non-loopback client came without the right bearer token. */
export class AdminUnauthorizedError extends WakeProxyError {
  constructor() {
    super('WP_ADMIN_UNAUTHORIZED', 'the admin API needs "Authorization: Bearer <token>" from non-loopback clients');
  }
}

/** An admin request from a non-loopback client, while no admin token is configured. */
export class AdminForbiddenError extends WakeProxyError {
  constructor() {
    super('WP_ADMIN_FORBIDDEN', 'the admin API answers only loopback clients: no admin token is configured');
  }
}

/** A container reference matches more than one container at the same precedence. */
export class ContainerAmbiguousError extends WakeProxyError {
  readonly candidates: readonly string[];
  constructor(container: string, candidates: readonly string[]) {
    super(
      'WP_CONTAINER_AMBIGUOUS',
      `container reference "${container}" matches ${candidates.length} containers: ${candidates.join(', ')}; ` +
        'name one container, or set compose_project',
    );
    this.candidates = candidates;
  }
}

/** The containers a reference matches all belong to compose projects other than the one in scope. */
export class ContainerOutOfScopeError extends WakeProxyError {
  constructor(container: string, projects: readonly string[], scope: string) {
    super(
      'WP_CONTAINER_OUT_OF_SCOPE',
      `container reference "${container}" matches only containers of compose project ${projects.map((p) => `"${p}"`).join(', ')}, ` +
        `not of "${scope}"; set compose_project on the service to use one of them`,
    );
  }
}

/** A service's container must be created, but its image is not on this engine (and no pull is allowed). */
export class ImageNotFoundError extends WakeProxyError {
  constructor(image: string, container: string) {
    super('WP_IMAGE_NOT_FOUND', `image "${image}" of container "${container}" is not on the engine; build or pull it, or set pull: missing`);
  }
}

/** Every error code wake-proxy can raise; the README's error table must list exactly these. */
export const ERROR_CODES = [
  'WP_CONFIG_INVALID',
  'WP_ROUTE_NOT_FOUND',
  'WP_BAD_REQUEST_PATH',
  'WP_METHOD_NOT_ALLOWED',
  'WP_BAD_REQUEST',
  'WP_HTTP_VERSION',
  'WP_WAKE_TIMEOUT',
  'WP_WAKE_FAILED',
  'WP_PROVIDER_UNAVAILABLE',
  'WP_CONTAINER_NOT_FOUND',
  'WP_IMAGE_NOT_FOUND',
  'WP_CONTAINER_AMBIGUOUS',
  'WP_CONTAINER_OUT_OF_SCOPE',
  'WP_PROVIDER_FAILED',
  'WP_HOLD_QUEUE_FULL',
  'WP_SERVICE_ASLEEP',
  'WP_UPSTREAM_UNREACHABLE',
  'WP_UPSTREAM_TIMEOUT',
  'WP_INVALID_TRANSITION',
  'WP_SERVICE_BUSY',
  'WP_BAD_REQUEST_BODY',
  'WP_SHUTTING_DOWN',
  'WP_ADMIN_UNAUTHORIZED',
  'WP_ADMIN_FORBIDDEN',
  'WP_INTERNAL',
] as const;

/** A stable error code. */
export type ErrorCode = (typeof ERROR_CODES)[number];
