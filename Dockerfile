# syntax=docker/dockerfile:1
#
# ferry as a container image: a Kafka Connect compatible worker (and the bundled broker).
#
#   docker build -t ferry .
#   docker run --rm -p 127.0.0.1:8083:8083 \
#     -e CONNECT_BOOTSTRAP_SERVERS=kafka:9092 -e CONNECT_GROUP_ID=ferry \
#     -e CONNECT_CONFIG_STORAGE_TOPIC=connect-configs -e CONNECT_OFFSET_STORAGE_TOPIC=connect-offsets \
#     -e CONNECT_STATUS_STORAGE_TOPIC=connect-status \
#     -e CONNECT_KEY_CONVERTER=org.apache.kafka.connect.json.JsonConverter \
#     -e CONNECT_VALUE_CONVERTER=org.apache.kafka.connect.json.JsonConverter ferry   # `ferry worker` from CONNECT_* variables
#   docker run --rm -v ferry-data:/var/lib/ferry -p 127.0.0.1:8083:8083 ferry start --data-dir /var/lib/ferry
#   docker run --rm -v "$PWD/mm2.properties:/etc/ferry/mm2.properties:ro" ferry mirror-maker /etc/ferry/mm2.properties
#   docker run --rm ferry connectors list --url http://worker:8083
#
# The image's health check asks a worker's /health on 127.0.0.1:8083 (`ferry health`), so it
# is meaningful for `worker` and `start`; `mirror-maker` serves no REST API unless its file
# sets listeners.

# Build stage: the full Debian image, whose compilers let a native module build from source
# when no prebuilt binary can be downloaded.
FROM node:20.20.2-bookworm AS build
WORKDIR /app

# Dependencies first, so this layer is reused until package.json or the lock file changes.
# `npm ci` would also run this package's own `prepare` (tsc), which needs the sources that are
# not copied yet; so the install skips scripts and `npm rebuild` then runs the dependencies'
# install scripts (zstd-napi: prebuild-install, else node-gyp).
COPY package.json package-lock.json ./
RUN npm ci --ignore-scripts --no-audit --no-fund \
    && npm rebuild

# tsc compiles every folder tsconfig.json names (bench/ pulls in a few test helpers), so the
# context is the whole tree minus what .dockerignore leaves out; only the runtime's folders of
# dist/ go into the final image, with dist/console (the web console served at /ui, built by vite).
COPY . .
RUN npm run build \
    && npm prune --omit=dev --no-audit --no-fund

# Final stage: Debian slim with Node, tini as PID 1, the compiled code and production modules.
FROM node:20.20.2-bookworm-slim

# Release builds pass --build-arg VCS_REF=$(git rev-parse HEAD) --build-arg SOURCE_URL=<repository URL>.
ARG FERRY_VERSION=0.1.0
ARG VCS_REF=unknown
ARG SOURCE_URL=
LABEL org.opencontainers.image.title="ferry" \
      org.opencontainers.image.description="Kafka Connect compatible connector runtime and Kafka-protocol broker for Node.js" \
      org.opencontainers.image.licenses="Apache-2.0" \
      org.opencontainers.image.version="${FERRY_VERSION}" \
      org.opencontainers.image.revision="${VCS_REF}" \
      org.opencontainers.image.source="${SOURCE_URL}"

# tini forwards SIGTERM to node and reaps children: Node as PID 1 would ignore the default
# signal handling a worker needs to stop its tasks and commit offsets on `docker stop`.
# `ferry` on PATH for `docker exec ... ferry connectors list`; /var/lib/ferry is the data
# directory of `ferry start` (mount a volume there to keep it).
RUN apt-get update \
    && apt-get install -y --no-install-recommends tini=0.19.0-1* \
    && rm -rf /var/lib/apt/lists/* \
    && printf '#!/bin/sh\nexec node /app/dist/cli/ferry.js "$@"\n' > /usr/local/bin/ferry \
    && chmod 0755 /usr/local/bin/ferry \
    && mkdir -p /var/lib/ferry \
    && chown node:node /var/lib/ferry

ENV NODE_ENV=production
WORKDIR /app
# package.json says "type": "module", which Node needs to load dist/ as ES modules.
COPY --from=build /app/package.json ./
COPY --from=build /app/node_modules ./node_modules
COPY --from=build /app/dist/api ./dist/api
COPY --from=build /app/dist/broker ./dist/broker
COPY --from=build /app/dist/cli ./dist/cli
COPY --from=build /app/dist/connectors ./dist/connectors
COPY --from=build /app/dist/console ./dist/console
COPY --from=build /app/dist/registry ./dist/registry
COPY --from=build /app/dist/runtime ./dist/runtime

USER node
EXPOSE 8083 8081
# A worker is "starting" until it joined its group and read the config topic; 60 s covers a
# first start against a Kafka that is still electing its controller. The timeout outlasts
# `ferry health`'s own (15 s), so a stuck worker's probe says why it failed.
HEALTHCHECK --interval=10s --timeout=20s --start-period=60s --retries=3 \
    CMD ["node", "/app/dist/cli/ferry.js", "health"]
ENTRYPOINT ["/usr/bin/tini", "--", "node", "/app/dist/cli/ferry.js"]
CMD ["worker"]
