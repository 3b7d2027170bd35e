# syntax=docker/dockerfile:1
# The Livora runtime image: one image for every role, the role as its argument
# (`api`, `pipeline`, `worker`; `start` runs them all). Node runs the TypeScript as is
# (type stripping): nothing to build, so the stages only keep dev tools out.

# Production dependencies of the runtime and its adapters, with the install scripts the
# root package.json allows (npm 11's allowScripts).
FROM node:24-bookworm-slim AS dependencies
WORKDIR /app
COPY package.json package-lock.json ./
COPY runtime/package.json runtime/
COPY adapters/package.json adapters/
COPY providers/package.json providers/
COPY stacks/package.json stacks/
COPY web/package.json web/
COPY sdk/package.json sdk/
COPY tests/package.json tests/
RUN npm ci --omit=dev --no-audit --no-fund --workspace runtime --workspace adapters

# The image: sources and dependencies, run by an unprivileged user, data in /data.
# MALLOC_ARENA_MAX=2: DuckDB encodes Parquet on libuv's threads, and glibc gave each its
# own heap that it never gave back (the pipeline's peak memory: 339 MB native, 289 with two).
# --heap-growing-percent=100 (as in `npm start`): V8 let the heap grow to four times what
# was live before collecting; at twice, the pipeline's peak went from ~1,000 to 772 MB.
FROM node:24-bookworm-slim
ENV NODE_ENV=production LIVORA_HOST=0.0.0.0 LIVORA_DATA_DIR=/data MALLOC_ARENA_MAX=2
WORKDIR /app
RUN groupadd --system livora && useradd --system --gid livora --home-dir /app --no-create-home livora \
  && mkdir /data && chown livora:livora /data
COPY --from=dependencies /app/node_modules ./node_modules
COPY package.json ./
COPY adapters ./adapters
COPY runtime ./runtime
USER livora
EXPOSE 8080
# The API answers /healthz; the pipeline and the worker serve no HTTP (healthy while running).
HEALTHCHECK --interval=30s --timeout=5s CMD ["node", "runtime/src/cli/container-health.ts"]
ENTRYPOINT ["node", "--heap-growing-percent=100", "runtime/src/cli/livora.ts"]
CMD ["api"]
