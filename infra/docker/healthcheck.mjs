// The image's HEALTHCHECK: exits 0 when this container's service answers GET /healthz with 200.
// Node rather than curl/wget because the slim base image ships neither, and one more package in
// every image for a probe is not worth it. Liveness only (is the process serving?); readiness of
// dependencies is /readyz, which orchestrators use to route traffic, not to restart.
const DEFAULT_PORTS = { gateway: 8080, auth: 8081, inference: 8082, trainer: 8083, report: 8084, audit: 8085 };

const app = process.env.APP ?? '';
const fallback = DEFAULT_PORTS[app];
if (fallback === undefined) {
  console.error(`healthcheck: unknown APP "${app}"`);
  process.exit(1);
}
// Same variable the service's config schema reads (GATEWAY_PORT, AUTH_PORT, ...).
const port = Number(process.env[`${app.toUpperCase()}_PORT`] || fallback);

try {
  const res = await fetch(`http://127.0.0.1:${port}/healthz`, { signal: AbortSignal.timeout(2500) });
  if (res.status !== 200) {
    console.error(`healthcheck: /healthz answered ${res.status}`);
    process.exit(1);
  }
} catch (err) {
  console.error(`healthcheck: ${err instanceof Error ? err.message : String(err)}`);
  process.exit(1);
}
