# The Clocker worker image (docker-compose.yml's `worker` and `codec-server` services). Workers
# are stateless: run as many as you like against one Temporal cluster.
# Built in one stage (TypeScript compiled to dist/, the workflow bundle written beside it, then
# the dev packages pruned), run in another that holds only dist/ and the runtime packages: no
# tsx, no sources, no bundling at start (a worker loads dist/workflow-bundle.js).
# NODE_IMAGE: any Debian bookworm image with Node ≥ 20.3 and npm (a mirror's, or one made locally
# where Docker Hub is out of reach).
ARG NODE_IMAGE=node:20-bookworm-slim
FROM ${NODE_IMAGE} AS build
WORKDIR /opt/clocker
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund --loglevel=error
COPY tsconfig.json tsconfig.build.json ./
COPY domain domain
COPY workflows workflows
COPY activities activities
COPY workers workers
COPY client client
RUN npm run build && npm prune --omit=dev --no-audit --no-fund --loglevel=error

FROM ${NODE_IMAGE}
WORKDIR /opt/clocker
# As `clocker up` runs its worker (client/commands/up.ts WORKER_MALLOC_ENV, WORKER_NODE_FLAGS):
# two malloc arenas, not one per thread; freed C heap given back above 128 KiB; a 2 × 4 MiB young
# generation per V8 isolate (bench/workerMemorySimulated.bench.ts, docs/benchmarks.md).
ENV NODE_ENV=production MALLOC_ARENA_MAX=2 MALLOC_TRIM_THRESHOLD_=131072
COPY --from=build /opt/clocker/package.json ./
COPY --from=build /opt/clocker/node_modules node_modules
COPY --from=build /opt/clocker/dist dist
ENTRYPOINT ["node", "--max-semi-space-size=4", "dist/client/cli.js"]
CMD ["worker"]
