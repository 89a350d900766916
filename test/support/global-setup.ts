/**
 * vitest globalSetup of the integration project: builds the backend image once per run (a no-op
 * when its tag exists), hands the tag to test files (`inject('backendImage')`, or the env var
 * that ensureBackendImage reads), and sweeps test containers before and after the run so a crashed
 * run leaves nothing behind for the next one. It claims the run (OWNER_ENV, inherited by the
 * workers) so the sweep spares containers of another run going on at the same time.
 */
import type { TestProject } from 'vitest/node';
import { hostname } from 'node:os';
import { BACKEND_IMAGE_ENV, OWNER_ENV, ensureBackendImage, removeAllTestContainers } from './docker-fixture.ts';

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
}

/** Runs once after the integration files. */
export async function teardown(): Promise<void> {
  await removeAllTestContainers();
}
