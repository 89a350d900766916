/** A description of the machine a run was made on, for results.json and the README. */
import os from 'node:os';
import type Docker from 'dockerode';

/** Where the figures come from. */
export interface MachineInfo {
  readonly cpus: number;
  readonly cpuModel: string;
  readonly memoryGb: number;
  readonly kernel: string;
  readonly docker: string;
  readonly node: string;
}

/** Reads the machine's description; Docker's version comes from the engine itself. */
export async function describeMachine(docker: Docker): Promise<MachineInfo> {
  const version = await docker.version();
  return {
    cpus: os.availableParallelism(),
    cpuModel: os.cpus()[0]?.model.trim() ?? 'unknown',
    memoryGb: Math.round((os.totalmem() / 1024 ** 3) * 10) / 10,
    kernel: `${os.type()} ${os.release()}`,
    docker: `${version.Version} (API ${version.ApiVersion})`,
    node: process.version,
  };
}
