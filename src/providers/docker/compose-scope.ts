/**
 * Which compose project each container reference is read in.
 *
 * Policy: a service's own `compose_project` wins; then the global setting
 * (WAKE_PROXY_COMPOSE_PROJECT / --compose-project); then the project of the proxy's own container,
 * detected from the engine; otherwise none (the proxy runs on the host, outside compose).
 */

/** Explicit compose projects: per container reference, and for all of them. */
export interface ComposeScope {
  /** Container reference → the project its service names with `compose_project`. */
  readonly byRef: ReadonlyMap<string, string>;
  /** The project every other reference is read in; null: the proxy's own project, if any. */
  readonly global: string | null;
}

/** The scope the config asks for (cross-check guarantees each container reference is used once). */
export function composeScopeOf(
  services: readonly { readonly container: string; readonly composeProject: string | null }[],
  global: string | null,
): ComposeScope {
  const byRef = new Map<string, string>();
  for (const s of services) if (s.composeProject !== null) byRef.set(s.container, s.composeProject);
  return { byRef, global };
}
