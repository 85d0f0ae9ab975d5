# syntax=docker/dockerfile:1
#
# One image for every HRP app: the five services and the gateway. The app is chosen by the
# command, e.g. `docker run hrp-app node services/campaigns/dist/main.js` (docker-compose.yml
# sets one command per service). Build from the repository root: `docker build -t hrp-app .`
#
# Node 20 is what the team runs (package.json engines >= 20.19); the exact patch release is
# pinned so that an image built twice is the same. Override with --build-arg NODE_IMAGE=...
# (the code must also run on Node 22/24). Debian slim, not Alpine: the lockfile's native
# packages (@swc/core, nx) are resolved for glibc as well as musl, and glibc is the tested one.
ARG NODE_IMAGE=node:20.20.2-bookworm-slim

# ---------------------------------------------------------------- build
# Full install (compilers and type-checker included), then type-check and compile every project
# into <project>/dist, and bundle the web console into web/dist (the gateway serves it).
FROM ${NODE_IMAGE} AS build
WORKDIR /app
# keycloak-connect declares chromedriver as an optional dependency whose install script
# downloads a browser driver; nothing here drives a browser. Nx: no daemon, no cloud in a build.
ENV CHROMEDRIVER_SKIP_DOWNLOAD=true \
    NX_DAEMON=false \
    NX_NO_CLOUD=true
# The whole context at once (.dockerignore leaves out node_modules, dist and var/): npm ci needs
# every workspace's package.json, and COPY cannot keep the folder layout of a glob. The npm cache
# mount keeps re-installs fast when only the source changed.
COPY . .
RUN --mount=type=cache,target=/root/.npm npm ci --no-audit --no-fund
RUN npm run build && npm run build:web

# ---------------------------------------------------------------- assemble
# A production-only install from the same lockfile (no dev tools in the runtime image), plus each
# workspace's package.json and compiled dist. The workspace links in node_modules/@hrp/* are
# relative symlinks (../../libs/config, ...), kept as symlinks by `cp -a`, so they resolve in the
# runtime image as they do here.
FROM build AS assemble
RUN --mount=type=cache,target=/root/.npm npm ci --omit=dev --no-audit --no-fund \
 && mkdir -p /out \
 && cp -a package.json package-lock.json node_modules /out/ \
 && for p in libs/* services/* gateway web; do \
      mkdir -p "/out/$p" && cp -a "$p/package.json" "/out/$p/"; \
      if [ -d "$p/dist" ]; then cp -a "$p/dist" "/out/$p/"; fi; \
      if [ -d "$p/node_modules" ]; then cp -a "$p/node_modules" "/out/$p/"; fi; \
    done

# ---------------------------------------------------------------- runtime
FROM ${NODE_IMAGE} AS runtime
# HOST: inside a container the apps must listen on every interface (config default: 127.0.0.1).
ENV NODE_ENV=production \
    HOST=0.0.0.0
WORKDIR /app
# Owned by root and run as `node`: the app cannot rewrite its own code.
COPY --from=assemble /out/ ./
USER node
EXPOSE 4000 4001 4002 4003 4004 4005
CMD ["node", "gateway/dist/main.js"]
