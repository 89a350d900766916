import { describe, expect, it } from 'vitest';
import { ownContainerCandidates } from '../../../../src/providers/docker/own-networks.ts';

const ID = '4c9b5e0f2b5a7d1e8c3f6a9b2d5e8f1a4c7b0d3e6f9a2b5c8d1e4f7a0b3c6d9e';
const inContainer = [
  `812 790 0:52 / / rw,relatime master:388 - overlay overlay rw,lowerdir=/var/lib/docker/overlay2/l/X`,
  `830 812 8:1 /var/lib/docker/containers/${ID}/resolv.conf /etc/resolv.conf rw,relatime - ext4 /dev/sda1 rw`,
  `831 812 8:1 /var/lib/docker/containers/${ID}/hostname /etc/hostname rw,relatime - ext4 /dev/sda1 rw`,
  `832 812 8:1 /var/lib/docker/containers/${ID}/hosts /etc/hosts rw,relatime - ext4 /dev/sda1 rw`,
].join('\n');
const onHostWithContainers = [
  `29 1 8:1 / / rw,relatime shared:1 - ext4 /dev/sda1 rw`,
  `400 29 0:60 / /var/lib/docker/containers/${ID}/mounts/shm rw,nosuid - tmpfs shm rw,size=65536k`,
].join('\n');

describe('ownContainerCandidates', () => {
  it('finds the container id Docker bind-mounts /etc/hostname and friends from', () => {
    expect(ownContainerCandidates('api-proxy', inContainer)).toEqual([ID]);
  });

  it('adds a hostname that looks like a container id', () => {
    expect(ownContainerCandidates(ID.slice(0, 12), inContainer)).toEqual([ID, ID.slice(0, 12)]);
  });

  it('finds nothing on a host that merely runs containers', () => {
    expect(ownContainerCandidates('vm', onHostWithContainers)).toEqual([]);
  });

  it('ignores a hostname that is not hexadecimal', () => {
    expect(ownContainerCandidates('build-server-01', '')).toEqual([]);
  });
});
