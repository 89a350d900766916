/**
 * Two services behind one proxy for "keeps awake" tests, which must not sleep to prove a timeout
 * passed: the subject sleeps after 1 s idle, the canary after 2 s. Use both at the same moment;
 * once the canary is paused, the subject's idle timeout has long passed too.
 */
import { createBackend, type Backend } from '../../support/docker-fixture.ts';
import { backendListening, startProxy, type ProxyHarness } from '../../support/proxy-harness.ts';

/** The subject's backend, the canary's backend and the proxy routing `/<service>` and `/canary`. */
export interface SubjectWithCanary {
  readonly subject: Backend;
  readonly canary: Backend;
  readonly proxy: ProxyHarness;
  close(): Promise<void>;
}

/** Starts both backends and a proxy; `service` is the subject's service name and route prefix. */
export async function startSubjectWithCanary(options: { name: string; service: string; stripPrefix: boolean }): Promise<SubjectWithCanary> {
  const { name, service, stripPrefix } = options;
  const [subject, canary] = await Promise.all([createBackend({ name }), createBackend({ name: 'wp-canary' })]);
  await Promise.all([backendListening(subject.name), backendListening(canary.name)]);
  const proxy = await startProxy({
    routes: `routes:\n  - path: /${service}\n    service: ${service}\n    strip_prefix: ${stripPrefix}\n  - path: /canary\n    service: canary\n`,
    services: `services:
  ${service}:
    container: ${subject.name}
    port: 8080
    health_check: { path: /health }
    sleep_policy: { idle_timeout: 1s }
  canary:
    container: ${canary.name}
    port: 8080
    health_check: { path: /health }
    sleep_policy: { idle_timeout: 2s }
`,
  });
  return {
    subject,
    canary,
    proxy,
    close: async () => {
      await proxy.close();
      await Promise.all([subject.remove(), canary.remove()]);
    },
  };
}
