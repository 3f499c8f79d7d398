// Load test of the prediction path: gateway -> inference, one small PNG per request.
//
//   k6 run -e IMAGE=/abs/path/digit.png k6/predict.js
//   k6 run -e IMAGE=... -e API_KEY=... -e PEAK_VUS=50 -e BASE_URL=https://inkwell.example.com k6/predict.js
//
// Env: BASE_URL (default http://localhost:8080), IMAGE (required: a PNG; `npx tsx k6/make-digit.ts`
// writes one from the MNIST test set), IMAGE_FIELD (multipart field, default "file": the one field
// inference reads; any other is refused), API_KEY (sent as X-API-Key; without it requests are
// guests and meet the guest rate limit), PEAK_VUS (default 20), RAMP (default 30s), HOLD (default 1m), THINK (seconds each VU waits between
// requests, default 0.2: 20 VUs then send at most ~100 req/s, under the default per-identity limit
// of ~166 req/s; set THINK=0 with a raised RATE_LIMIT_USER to find the ceiling).
// Thresholds: p99 < 100 ms and < 1 % failed requests; k6 exits non-zero if either is missed.
import http from 'k6/http';
import { check, sleep } from 'k6';

const BASE_URL = (__ENV.BASE_URL || 'http://localhost:8080').replace(/\/+$/, '');
const IMAGE_FIELD = __ENV.IMAGE_FIELD || 'file';
const PEAK_VUS = Number(__ENV.PEAK_VUS || 20);
const RAMP = __ENV.RAMP || '30s';
const HOLD = __ENV.HOLD || '1m';
const THINK = __ENV.THINK === undefined ? 0.2 : Number(__ENV.THINK);

if (!__ENV.IMAGE) {
  throw new Error('set IMAGE to a PNG file, e.g. k6 run -e IMAGE=/tmp/digit.png k6/predict.js');
}
// open() runs once per VU at init; relative paths resolve against this script's folder.
const png = open(__ENV.IMAGE, 'b');

export const options = {
  scenarios: {
    predict: {
      executor: 'ramping-vus',
      startVUs: 0,
      stages: [
        { duration: RAMP, target: PEAK_VUS },
        { duration: HOLD, target: PEAK_VUS },
        { duration: '10s', target: 0 },
      ],
      gracefulRampDown: '5s',
    },
  },
  thresholds: {
    'http_req_duration{name:predict}': ['p(99)<100'],
    http_req_failed: ['rate<0.01'],
    checks: ['rate>0.99'],
  },
  summaryTrendStats: ['avg', 'min', 'med', 'p(90)', 'p(95)', 'p(99)', 'max'],
};

const headers = __ENV.API_KEY ? { 'X-API-Key': __ENV.API_KEY } : {};

export default function () {
  // An object with an http.file() value makes k6 send multipart/form-data with a boundary.
  const body = { [IMAGE_FIELD]: http.file(png, 'digit.png', 'image/png') };
  const res = http.post(`${BASE_URL}/api/predict`, body, { headers, tags: { name: 'predict' } });
  check(res, {
    'status is 200': (r) => r.status === 200,
    'not rate limited': (r) => r.status !== 429,
    'answers JSON': (r) => r.status === 200 && String(r.headers['Content-Type'] || '').startsWith('application/json'),
  });
  if (THINK > 0) sleep(THINK);
}
