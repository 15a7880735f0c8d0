# Perch's image: the worker and the watcher (same image, different command) with the workflow code
# bundled at build time. Build: `docker build -t perch:0.1.0 .` (docs/install.md).

# Build: all dependencies, compile, bundle the workflows, then drop the dev dependencies.
FROM node:24-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund --loglevel=error
COPY tsconfig.json ./
COPY src ./src
RUN npx tsc -p tsconfig.json \
 && node dist/src/tools/bundle-workflows.js dist/workflow-bundle.js \
 && npm prune --omit=dev --no-audit --no-fund --loglevel=error

# Run: compiled code, production dependencies and the bundle, owned by root and read-only to the
# unprivileged `node` user (uid 1000), so the pod can run with a read-only root filesystem.
FROM node:24-slim
ENV NODE_ENV=production \
    PERCH_WORKFLOW_BUNDLE=/app/dist/workflow-bundle.js
WORKDIR /app
COPY --from=build /app/package.json ./
COPY --from=build /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
USER 1000:1000
EXPOSE 8080
CMD ["node", "dist/src/worker.js"]
