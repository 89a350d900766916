#!/bin/bash
# The image's HEALTHCHECK, without starting a Node process per check: bash's /dev/tcp asks
# GET /healthz of the admin API on ADMIN_PORT (the same variable the proxy reads) and wants a 200.
# With ADMIN_PORT=0 (admin API off) the check is that the proxy port (PORT) accepts a connection.
# A listener on all interfaces (ADMIN_HOST unset, 0.0.0.0 or ::) is asked on 127.0.0.1.
# Docker's --timeout bounds the connect; the read waits at most 2 s.
set -u
admin_port="${ADMIN_PORT:-8081}"
if [ "$admin_port" = "0" ]; then
  exec 3<>"/dev/tcp/127.0.0.1/${PORT:-8080}" || exit 1
  exit 0
fi
host="${ADMIN_HOST:-127.0.0.1}"
case "$host" in 0.0.0.0 | :: | "[::]") host=127.0.0.1 ;; esac
exec 3<>"/dev/tcp/${host}/${admin_port}" || exit 1
printf 'GET /healthz HTTP/1.0\r\nHost: localhost\r\n\r\n' >&3
IFS= read -r -t 2 status <&3 || exit 1
case "$status" in
  "HTTP/1."?" 200 "*) exit 0 ;;
  *) exit 1 ;;
esac
