# The Clocker worker image (docker-compose.yml's `worker` service). Workers are stateless:
# run as many as you like against one Temporal cluster.
FROM node:20-bookworm-slim
WORKDIR /opt/clocker
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --no-audit --no-fund
COPY . .
ENTRYPOINT ["node", "bin/clocker.js"]
CMD ["worker"]
