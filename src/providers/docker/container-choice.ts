/**
 * Which container a reference from services.yml means: a pure decision over what Docker listed.
 *
 * Policy (first matching row wins; "scope" is the compose project the reference is read in: the
 * service's `compose_project`, else WAKE_PROXY_COMPOSE_PROJECT, else the project of the proxy's
 * own container, else none):
 *
 * | scope | row | matches                                                          | result        |
 * |-------|-----|------------------------------------------------------------------|---------------|
 * | any   | 0   | the reference is a container id (full, or a 12+ char prefix)     | that container |
 * | P     | 1   | in project P: service label = ref, or container name = ref       | the one, or ambiguous if several |
 * | P     | 2   | a container named ref that belongs to no compose project         | that container |
 * | P     | 3   | only containers of other projects match (by name or service)     | out of scope (names them) |
 * | none  | 1   | a container named ref (any project: a name is explicit)          | that container |
 * | none  | 2   | service label = ref, across projects                             | the one, or ambiguous if several |
 * | any   | –   | nothing                                                           | not found     |
 *
 * So inside a compose project, an unrelated container named `web` elsewhere on the host never beats
 * the project's own service `web`, and another project's containers are never acted on unless that
 * project is named. One-off containers (`compose run`) are never a service's container. Several
 * containers at the same row are refused rather than guessed between: pausing the wrong one would
 * freeze somebody else's work.
 */

/** The compose labels the choice reads. */
export const COMPOSE_LABELS = {
  project: 'com.docker.compose.project',
  service: 'com.docker.compose.service',
  oneOff: 'com.docker.compose.oneoff',
} as const;

/** A container as the choice sees it. */
export interface Candidate {
  readonly id: string;
  /** Name without Docker's leading `/`. */
  readonly name: string;
  readonly project: string | null;
  readonly service: string | null;
  readonly oneOff: boolean;
}

/** What the reference means. */
export type ContainerChoice =
  | { readonly kind: 'found'; readonly id: string }
  | { readonly kind: 'ambiguous'; readonly candidates: readonly string[] }
  | { readonly kind: 'out-of-scope'; readonly projects: readonly string[] }
  | { readonly kind: 'not-found' };

/** What Docker answered for one reference. */
export interface LookupResult {
  /** The container Docker found under the reference as a name or id, if it matches exactly. */
  readonly byName: Candidate | null;
  /** True when `byName` matched the reference as an id, not as a name. */
  readonly byId: boolean;
  /** Containers whose compose service label equals the reference (every project, stopped ones too). */
  readonly byService: readonly Candidate[];
}

/** A candidate from Docker's labels. */
export function toCandidate(id: string, name: string, labels: Readonly<Record<string, string>> | null | undefined): Candidate {
  const l = labels ?? {};
  return {
    id,
    name: name.replace(/^\//, ''),
    project: l[COMPOSE_LABELS.project] ?? null,
    service: l[COMPOSE_LABELS.service] ?? null,
    oneOff: (l[COMPOSE_LABELS.oneOff] ?? '').toLowerCase() === 'true',
  };
}

/** How a candidate is named in an error: `name (project p, service s)`. */
export function describeCandidate(c: Candidate): string {
  return c.project === null ? c.name : `${c.name} (project ${c.project}, service ${c.service ?? '-'})`;
}

function oneOrAmbiguous(found: readonly Candidate[]): ContainerChoice | null {
  const unique = [...new Map(found.map((c) => [c.id, c])).values()];
  if (unique.length === 0) return null;
  if (unique.length === 1) return { kind: 'found', id: unique[0]!.id };
  return { kind: 'ambiguous', candidates: unique.map(describeCandidate).sort() };
}

/** Applies the precedence table above. */
export function chooseContainer(scope: string | null, result: LookupResult): ContainerChoice {
  const { byName, byId } = result;
  const services = result.byService.filter((c) => !c.oneOff);
  if (byName && byId) return { kind: 'found', id: byName.id };
  if (scope === null) {
    if (byName) return { kind: 'found', id: byName.id };
    return oneOrAmbiguous(services) ?? { kind: 'not-found' };
  }
  const inScope = [...(byName?.project === scope ? [byName] : []), ...services.filter((c) => c.project === scope)];
  const own = oneOrAmbiguous(inScope);
  if (own) return own;
  if (byName && byName.project === null) return { kind: 'found', id: byName.id };
  const elsewhere = [...(byName ? [byName] : []), ...services].flatMap((c) => (c.project === null ? [] : [c.project]));
  if (elsewhere.length > 0) return { kind: 'out-of-scope', projects: [...new Set(elsewhere)].sort() };
  return { kind: 'not-found' };
}
