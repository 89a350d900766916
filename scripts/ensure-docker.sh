#!/bin/sh
# Makes sure a Docker engine answers on this machine, installing and starting one if needed.
# Idempotent: each step is skipped when what it provides is already there.
# Used by `npm test`, `npm run bench` and .ci/run, so a fresh Debian machine needs nothing else.
set -eu

as_root() { if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi; }

# Debian packages the tests drive for real (prometheus brings promtool; chromium for the pages;
# haproxy for the socket-proxy test; docker-compose 1.29 for the container-deployment test;
# nginx-light and caddy as front proxies; socat relays the Docker socket in the engine-outage test;
# redis-server is the shared state of the replica tests and the bench; iproute2 brings ss, which
# shows the listen backlog the proxy asked for; debootstrap makes the Debian test images, installed
# here once rather than by two image builds at the same time).
PACKAGES="docker.io busybox-static prometheus chromium haproxy docker-compose nginx-light caddy socat redis-server iproute2 debootstrap"
missing=0
for cmd in dockerd busybox promtool chromium haproxy docker-compose nginx caddy socat redis-server ss debootstrap; do
  command -v "$cmd" >/dev/null 2>&1 || missing=1
done
if [ "$missing" -eq 1 ]; then
  echo "ensure-docker: installing $PACKAGES with apt" >&2
  as_root sh -c "apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $PACKAGES >/dev/null"
fi

if [ -n "${DOCKER_HOST:-}" ] && docker info >/dev/null 2>&1; then exit 0; fi
if [ -S /var/run/docker.sock ] && docker info >/dev/null 2>&1; then exit 0; fi

if ! docker info >/dev/null 2>&1; then
  echo "ensure-docker: starting dockerd in the background (log: /tmp/dockerd.log)" >&2
  as_root sh -c 'nohup dockerd >/tmp/dockerd.log 2>&1 &'
  i=0
  until docker info >/dev/null 2>&1; do
    i=$((i + 1))
    if [ "$i" -gt 120 ]; then
      echo "ensure-docker: dockerd did not answer within 60 s; last lines of /tmp/dockerd.log:" >&2
      tail -n 20 /tmp/dockerd.log >&2 || true
      exit 1
    fi
    sleep 0.5
  done
fi
echo "ensure-docker: engine $(docker version --format '{{.Server.Version}} (API {{.Server.APIVersion}})')" >&2
