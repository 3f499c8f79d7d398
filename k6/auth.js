// Load test of sign-in and the session check: POST /api/auth/login, then GET /api/auth/me with
// the access token, through the gateway (JWT verified there against auth's JWKS).
//
//   k6 run -e EMAIL=admin@inkwell.local -e PASSWORD=... k6/auth.js
//
// Two scenarios at once:
//   login  constant arrival rate LOGIN_RATE/s (default 1): argon2 verification is deliberately
//          expensive, so this measures capacity, not latency. Mind the gateway's guest limit
//          (RATE_LIMIT_GUEST per RATE_LIMIT_WINDOW_S per IP, default 100/min) and auth's
//          LOGIN_MAX_FAILURES_* lockouts: raise them on the system under test, not here.
//   me     arrival rate ramping to ME_RATE/s (default 100) calling /api/auth/me with one token
//          from setup(); that one user is limited by RATE_LIMIT_USER (default 10 000/min, ~166/s),
//          so raise it on the system under test before raising ME_RATE past that.
// Env: BASE_URL (default http://localhost:8080), EMAIL, PASSWORD (required), LOGIN_RATE, ME_RATE,
// DURATION (default 1m).
import http from 'k6/http';
import { check, fail } from 'k6';

const BASE_URL = (__ENV.BASE_URL || 'http://localhost:8080').replace(/\/+$/, '');
const EMAIL = __ENV.EMAIL;
const PASSWORD = __ENV.PASSWORD;
const DURATION = __ENV.DURATION || '1m';
const LOGIN_RATE = Number(__ENV.LOGIN_RATE || 1);
const ME_RATE = Number(__ENV.ME_RATE || 100);

if (!EMAIL || !PASSWORD) {
  throw new Error('set EMAIL and PASSWORD of an existing user, e.g. -e EMAIL=admin@inkwell.local -e PASSWORD=...');
}

export const options = {
  scenarios: {
    login: {
      executor: 'constant-arrival-rate',
      exec: 'login',
      rate: LOGIN_RATE,
      timeUnit: '1s',
      duration: DURATION,
      preAllocatedVUs: Math.max(2, LOGIN_RATE * 2),
      maxVUs: Math.max(10, LOGIN_RATE * 10),
    },
    me: {
      executor: 'ramping-arrival-rate',
      exec: 'me',
      startRate: 0,
      timeUnit: '1s',
      preAllocatedVUs: Math.max(10, Math.ceil(ME_RATE / 5)),
      maxVUs: Math.max(50, ME_RATE * 2),
      stages: [
        { duration: '20s', target: ME_RATE },
        { duration: DURATION, target: ME_RATE },
      ],
    },
  },
  thresholds: {
    http_req_failed: ['rate<0.01'],
    'http_req_duration{name:me}': ['p(99)<100'],
    // argon2id by design takes tens of milliseconds per verification.
    'http_req_duration{name:login}': ['p(99)<1000'],
    checks: ['rate>0.99'],
  },
  summaryTrendStats: ['avg', 'min', 'med', 'p(90)', 'p(95)', 'p(99)', 'max'],
};

function signIn(tagName) {
  const res = http.post(`${BASE_URL}/api/auth/login`, JSON.stringify({ email: EMAIL, password: PASSWORD }), {
    headers: { 'Content-Type': 'application/json' },
    tags: { name: tagName },
  });
  const ok = check(res, {
    'login 200': (r) => r.status === 200,
    'login returns a bearer token': (r) => r.status === 200 && typeof r.json('access_token') === 'string',
  });
  return ok ? String(res.json('access_token')) : undefined;
}

function whoAmI(token, tagName) {
  const res = http.get(`${BASE_URL}/api/auth/me`, {
    headers: { Authorization: `Bearer ${token}` },
    tags: { name: tagName },
  });
  check(res, {
    'me 200': (r) => r.status === 200,
    'me is the signed-in user': (r) => r.status === 200 && r.json('email') === EMAIL,
  });
}

// One token for the `me` scenario. Access tokens live ACCESS_TOKEN_TTL_S (default 15 min): keep
// DURATION below that, or the tail of the run measures 401s.
export function setup() {
  const token = signIn('setup');
  if (!token) fail(`could not sign in as ${EMAIL} at ${BASE_URL}`);
  return { token };
}

export function login() {
  const token = signIn('login');
  if (token) whoAmI(token, 'me-after-login');
}

export function me(data) {
  whoAmI(data.token, 'me');
}
