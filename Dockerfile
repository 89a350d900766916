# wake-proxy image. Build: docker build -t wake-proxy .   Run: see README, "Deployment".
# Runs as the unprivileged user `node`; give it the Docker socket's group (group_add / --group-add)
# or point DOCKER_HOST at a socket proxy. Config is read from /config (mount your files there).
FROM node:24.21.0-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY tsconfig.json tsconfig.build.json ./
COPY src ./src
# Pruning the dev dependencies also drops the npm `node` package (a second, 121 MB Node binary):
# the runtime stage runs on the base image's Node only.
RUN npm run build && npm prune --omit=dev --no-audit --no-fund

FROM node:24.21.0-bookworm-slim
LABEL org.opencontainers.image.title="wake-proxy" \
      org.opencontainers.image.description="Wake-on-request reverse proxy for Docker: holds requests while it unpauses or starts the container, then forwards them." \
      org.opencontainers.image.version="0.1.0" \
      org.opencontainers.image.licenses="MIT" \
      org.opencontainers.image.base.name="node:24.21.0-bookworm-slim"
WORKDIR /app
# jemalloc in place of glibc's malloc: it gives back the free pages a burst or a load left (glibc
# keeps them in its heap). Linked at one path whatever the architecture. See "Memory" in README.md.
RUN apt-get update \
    && apt-get install -y --no-install-recommends libjemalloc2 \
    && ln -s "$(dpkg -L libjemalloc2 | grep '/libjemalloc\.so\.2$')" /usr/local/lib/libjemalloc.so.2 \
    && rm -rf /var/lib/apt/lists/*
# jemalloc's settings, and glibc's trim and mmap thresholds fixed at their defaults (they matter
# only if jemalloc is taken out): see "Memory" in README.md.
ENV NODE_ENV=production \
    LD_PRELOAD=/usr/local/lib/libjemalloc.so.2 \
    MALLOC_CONF=narenas:1,tcache:false,dirty_decay_ms:1000,muzzy_decay_ms:0 \
    MALLOC_TRIM_THRESHOLD_=131072 \
    MALLOC_MMAP_THRESHOLD_=131072 \
    WAKE_PROXY_ROUTES=/config/routes.yml \
    WAKE_PROXY_SERVICES=/config/services.yml \
    PORT=8080 \
    ADMIN_PORT=8081
COPY --from=build /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
COPY package.json ./
COPY scripts/container-healthcheck.sh /usr/local/bin/wake-proxy-healthcheck
USER node
# 8080: proxied traffic. 8081: admin API (/healthz, /services, /metrics).
EXPOSE 8080 8081
# Follows ADMIN_PORT/ADMIN_HOST/PORT from the environment (set ports there, not with flags).
HEALTHCHECK --interval=10s --timeout=3s --start-period=20s --retries=3 CMD ["/usr/local/bin/wake-proxy-healthcheck"]
ENTRYPOINT ["node", "--max-semi-space-size=2", "--no-concurrent-recompilation", "dist/main.js"]
CMD ["serve"]
