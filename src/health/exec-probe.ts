/**
 * Exec readiness probe: runs `health_check.command` inside the container through the provider's
 * exec verb (the Docker exec API); exit 0 is ready.
 *
 * Policy: each check is bounded by `probeTimeoutMs` and by the caller's signal, both handed to the
 * provider (which stops reading the command's output at once). The detail of a failure is the exit
 * code and the last line of the output (`exit 2: no response`), or the provider's error (a paused
 * or stopped container is refused). It rejects only when the caller's signal aborts.
 */
import type { ContainerProvider } from '../providers/container-provider.ts';
import type { ReadinessProbe } from './readiness-probe.ts';

/** What the exec probe needs. */
export interface ExecProbeOptions {
  readonly provider: ContainerProvider;
  readonly container: string;
  readonly command: readonly string[];
  readonly probeTimeoutMs: number;
}

/** Creates a probe that runs a command inside the container. */
export function createExecProbe(options: ExecProbeOptions): ReadinessProbe {
  return {
    async check(_upstream, signal) {
      signal.throwIfAborted();
      const timeout = AbortSignal.timeout(options.probeTimeoutMs);
      const both = AbortSignal.any([signal, timeout]);
      try {
        const result = await options.provider.exec(options.container, options.command, both);
        if (result.exitCode === 0) return { ready: true, detail: 'exit 0' };
        const last = result.output.trim().split('\n').at(-1)?.slice(0, 200) ?? '';
        return { ready: false, detail: `exit ${result.exitCode}${last === '' ? '' : `: ${last}`}` };
      } catch (err) {
        if (signal.aborted) throw signal.reason;
        if (timeout.aborted) return { ready: false, detail: `timeout after ${options.probeTimeoutMs} ms` };
        return { ready: false, detail: `exec failed: ${err instanceof Error ? err.message : String(err)}` };
      }
    },
  };
}
