# The Syntra control plane: one image for every role (`syntra api`, `syntra worker`, `syntra ingest`,
# `syntra migrate`; `syntra start` too, given DATABASE_URL and REDIS_URL). Built from the release:
#
#   npm run build                       # dist/: the compiled CLI, the agent bundle, the web console
#   podman build -t syntra .            # or docker build; BASE defaults to the official Node 20 image
#
# Without a registry (as on our CI machines) build a base from this machine first:
#   deploy/local-base-image.sh          # → localhost/syntra-node-base:20
#   podman build --build-arg BASE=localhost/syntra-node-base:20 -t syntra .
ARG BASE=docker.io/library/node:20-bookworm-slim
FROM ${BASE}

WORKDIR /opt/syntra
ENV NODE_ENV=production \
    SYNTRA_DATA_DIR=/var/lib/syntra \
    SYNTRA_LOCAL_AGENT=false \
    PORT=8080

# npm packages stay beside the compiled CLI (BullMQ, knex and pino load files next to their code).
COPY package.json ./
COPY node_modules ./node_modules
COPY dist ./dist
COPY examples ./examples

# Runs as an unprivileged user; the data dir holds artifacts and, if generated, the secret key.
RUN mkdir -p /var/lib/syntra && chown 65534:65534 /var/lib/syntra
USER 65534:65534
VOLUME /var/lib/syntra
EXPOSE 8080

ENTRYPOINT ["node", "--initial-old-space-size=128", "--max-semi-space-size=64", "/opt/syntra/dist/syntra/syntra.mjs"]
CMD ["api"]
