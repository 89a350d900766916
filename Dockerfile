# wake-proxy image. Build: docker build -t wake-proxy .
# The proxy needs the Docker socket: mount /var/run/docker.sock (see docker-compose.example.yml).
FROM node:24.21.0-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY tsconfig.json tsconfig.build.json ./
COPY src ./src
RUN npm run build && npm prune --omit=dev --no-audit --no-fund

FROM node:24.21.0-bookworm-slim
WORKDIR /app
ENV NODE_ENV=production
COPY --from=build /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
COPY package.json routes.yml services.yml ./
# 8080: proxied traffic. 8081: admin API (/healthz, /services, /metrics).
EXPOSE 8080 8081
HEALTHCHECK --interval=10s --timeout=2s CMD ["node", "-e", "fetch('http://127.0.0.1:8081/healthz').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"]
ENTRYPOINT ["node", "--max-semi-space-size=2", "dist/main.js"]
CMD ["--routes", "/config/routes.yml", "--services", "/config/services.yml"]
