/**
 * The real-servers image of the readiness tests: Debian bookworm's PostgreSQL 15, Redis 7 and
 * MariaDB 10.11, from Debian packages (build-debian-image.ts), built once per machine.
 *
 * One image, three servers: the container's `SERVER` env var picks which one runs as PID 1
 * (`postgres`, `redis` or `mariadb`), as the package's own user. PostgreSQL listens on every
 * address with `trust` auth (database `postgres`, user `postgres`); Redis listens on every address
 * without protected mode (`REDIS_PASSWORD` turns on `requirepass`); MariaDB listens on every
 * address with its data directory initialised at build time.
 */
import { buildDebianImage, type DebianImageRecipe } from '../debian/build-debian-image.ts';

/** Repository part of the servers image's tag. */
export const SERVERS_REPOSITORY = 'wake-proxy-test-servers';
/** Env var through which global-setup hands the tag to test workers. */
export const SERVERS_IMAGE_ENV = 'WAKE_PROXY_TEST_SERVERS_IMAGE';
/** Ports the servers listen on inside the container. */
export const SERVER_PORTS = { postgres: 5432, redis: 6379, mariadb: 3306 } as const;
/** The servers this image can run. */
export type ServerKind = keyof typeof SERVER_PORTS;

const SERVE = `#!/bin/sh
# PID 1 of the servers image: runs the server named by $SERVER as its own user.
set -eu
case "\${SERVER:-}" in
  postgres)
    exec setpriv --reuid=postgres --regid=postgres --init-groups \\
      /usr/lib/postgresql/15/bin/postgres -D /var/lib/postgresql/data \\
      -c listen_addresses='*' -c unix_socket_directories=/run/postgresql ;;
  redis)
    if [ -n "\${REDIS_PASSWORD:-}" ]; then set -- --requirepass "$REDIS_PASSWORD"; fi
    exec setpriv --reuid=redis --regid=redis --init-groups \\
      redis-server --bind 0.0.0.0 --protected-mode no --dir /var/lib/redis --save '' "$@" ;;
  mariadb)
    exec setpriv --reuid=mysql --regid=mysql --init-groups \\
      /usr/sbin/mariadbd --bind-address=0.0.0.0 --skip-name-resolve --datadir=/var/lib/mysql ;;
  *) echo "set SERVER to postgres, redis or mariadb" >&2; exit 64 ;;
esac
`;

const PREPARE = `
cat > "$ROOTFS/usr/local/bin/serve" <<'SERVE_EOF'
${SERVE}SERVE_EOF
chmod 755 "$ROOTFS/usr/local/bin/serve"
mkdir -p "$ROOTFS/run/postgresql" "$ROOTFS/run/mysqld"
chroot "$ROOTFS" chown postgres:postgres /run/postgresql
chroot "$ROOTFS" chown mysql:mysql /run/mysqld
rm -rf "$ROOTFS/var/lib/postgresql/data"
mkdir -p "$ROOTFS/var/lib/postgresql/data"
chroot "$ROOTFS" chown postgres:postgres /var/lib/postgresql/data
chroot "$ROOTFS" setpriv --reuid=postgres --regid=postgres --init-groups \\
  /usr/lib/postgresql/15/bin/initdb -D /var/lib/postgresql/data --auth=trust --username=postgres >/dev/null
echo "host all all all trust" >> "$ROOTFS/var/lib/postgresql/data/pg_hba.conf"
rm -rf "$ROOTFS/var/lib/mysql"
mkdir -p "$ROOTFS/var/lib/mysql"
chroot "$ROOTFS" chown mysql:mysql /var/lib/mysql
chroot "$ROOTFS" mariadb-install-db --user=mysql --datadir=/var/lib/mysql --skip-test-db >/dev/null
`;

/** The recipe of the servers image. */
export const SERVERS_RECIPE: DebianImageRecipe = {
  repository: SERVERS_REPOSITORY,
  packages: ['postgresql', 'redis-server', 'mariadb-server', 'procps'],
  prepare: PREPARE,
  changes: ['CMD ["/usr/local/bin/serve"]', 'ENV PATH=/usr/lib/postgresql/15/bin:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin'],
};

let building: Promise<string> | undefined;

/** The servers image's tag, building it first when this machine does not have it (~60–90 s). */
export function ensureServersImage(): Promise<string> {
  const provided = process.env[SERVERS_IMAGE_ENV];
  building ??= provided ? Promise.resolve(provided) : buildDebianImage(SERVERS_RECIPE);
  return building;
}
