# One image for the API, the gateway, the worker and the one-shot migration; the command picks
# the process (docker-compose.yml). Debian (glibc) because uWebSockets.js ships glibc binaries.

# Production dependencies only (tsx, the TypeScript loader the processes start with, is one).
FROM node:20-bookworm-slim AS deps
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --no-audit --no-fund && npm cache clean --force

FROM node:20-bookworm-slim AS runtime
ENV NODE_ENV=production \
    API_HOST=0.0.0.0 \
    GATEWAY_HOST=0.0.0.0 \
    WORKER_HOST=0.0.0.0 \
    DATA_DIR=/app/data
WORKDIR /app
COPY --from=deps /app/node_modules ./node_modules
COPY package.json package-lock.json tsconfig.json .gmrc.cjs postgraphile.config.ts ./
COPY agent ./agent
COPY api ./api
COPY db ./db
COPY lib ./lib
COPY migrations ./migrations
COPY realtime ./realtime
COPY scripts ./scripts
COPY worker ./worker
# Nothing in the image is writable by the process except its data folder.
RUN mkdir -p /app/data && chown node:node /app/data
USER node
EXPOSE 3000 18789 3100
HEALTHCHECK --interval=10s --timeout=5s --start-period=30s --retries=3 CMD ["node", "scripts/healthcheck.mjs"]
CMD ["node", "--import", "tsx", "api/server.ts"]
