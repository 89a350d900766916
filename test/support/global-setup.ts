/**
 * vitest globalSetup of the integration and reliability projects: builds the test images once per
 * run before any test file starts (each a no-op when its tag exists): the backend image, whose tag
 * it hands to test files (`inject('backendImage')`, or the env var that ensureBackendImage reads),
 * and the two Debian images (the real servers, the Dockerfile's base). Built here, a fresh
 * machine's first builds (minutes) never run inside a test hook's deadline, nor two at once.
 * It sweeps test containers before and after the run so a crashed run leaves nothing behind for
 * the next one, and claims the run (OWNER_ENV, inherited by the workers) so the sweep spares
 * containers of another run going on at the same time.
 */
import type { TestProject } from 'vitest/node';
import { hostname } from 'node:os';
import { BACKEND_IMAGE_ENV, OWNER_ENV, ensureBackendImage, removeAllTestContainers } from './docker-fixture.ts';
import { ensureNodeBaseImage } from './images/node-base/build-node-base-image.ts';
import { ensureServersImage } from './images/servers/build-servers-image.ts';

declare module 'vitest' {
  export interface ProvidedContext {
    /** Tag of the locally built backend image, e.g. `wake-proxy-test-backend:0123abcd`. */
    backendImage: string;
  }
}

/** Runs once before the integration files. */
export async function setup(project: TestProject): Promise<void> {
  process.env[OWNER_ENV] = `${hostname()}:${process.pid}`;
  await removeAllTestContainers();
  const tag = await ensureBackendImage();
  process.env[BACKEND_IMAGE_ENV] = tag;
  project.provide('backendImage', tag);
  await ensureServersImage();
  await ensureNodeBaseImage();
}

/** Runs once after the integration files. */
export async function teardown(): Promise<void> {
  await removeAllTestContainers();
}
