/**
 * The part of Docker's `GET /containers/{id}/json` answer the adapter reads, as plain data.
 * dockerode's `ContainerInspectInfo` fits this shape; the pure mappers take this type so their
 * table tests can feed recorded JSON without dockerode.
 */

/** One network attachment of a container. */
export interface InspectNetwork {
  readonly IPAddress?: string | undefined;
}

/** One host binding of a published port. */
export interface InspectPortBinding {
  readonly HostIp?: string | undefined;
  readonly HostPort?: string | undefined;
}

/** The fields of a container inspect answer that wake-proxy uses. */
export interface InspectData {
  readonly Id: string;
  readonly Name: string;
  readonly State: {
    readonly Status: string;
    readonly Running?: boolean | undefined;
    readonly Paused?: boolean | undefined;
    readonly OOMKilled?: boolean | undefined;
    readonly ExitCode?: number | undefined;
    readonly StartedAt?: string | undefined;
    readonly Health?: { readonly Status: string } | undefined;
  };
  readonly Config?: { readonly Labels?: Readonly<Record<string, string>> | null | undefined } | undefined;
  readonly HostConfig?: { readonly NetworkMode?: string | undefined } | undefined;
  readonly NetworkSettings?: {
    readonly Networks?: Readonly<Record<string, InspectNetwork>> | null | undefined;
    readonly Ports?: Readonly<Record<string, readonly InspectPortBinding[] | null>> | null | undefined;
  } | undefined;
}
