#!/usr/bin/env sh
# Validates docker-compose.yml (schema, interpolation, anchors, env files) with every Compose that
# is installed: the `docker compose` plugin (v2) and/or the standalone `docker-compose` (v1, which
# Debian still ships). Exits non-zero if any of them rejects the file; skips, exit 0, if none is
# installed. Needs no Docker engine and no .env file.
#   sh infra/check-compose.sh
set -u
cd "$(dirname "$0")/.." || exit 1

# Validate what a fresh checkout gets: no INKWELL_ENV_FILE from the caller's shell.
unset INKWELL_ENV_FILE
# docker-compose.yml requires the operator's INTERNAL_TOKEN_SECRET (no committed default); a
# placeholder lets the file be validated where none is set. Never used to run anything.
INTERNAL_TOKEN_SECRET=${INTERNAL_TOKEN_SECRET:-check-compose-placeholder-not-a-real-secret}
export INTERNAL_TOKEN_SECRET
AUDIT_CHECKPOINT_SECRET=${AUDIT_CHECKPOINT_SECRET:-check-compose-placeholder-not-a-real-secret}
export AUDIT_CHECKPOINT_SECRET

failed=0
checked=0

check() {
  label=$1
  shift
  for profile in "" monitoring; do
    if [ -n "$profile" ]; then set -- "$@" --profile "$profile"; fi
    if out=$("$@" config -q 2>&1); then
      echo "ok:   $label config${profile:+ (profile $profile)}"
    else
      echo "FAIL: $label config${profile:+ (profile $profile)}"
      echo "$out" | sed 's/^/      /'
      failed=1
    fi
  done
  checked=$((checked + 1))
}

if docker compose version >/dev/null 2>&1; then
  check "docker compose ($(docker compose version --short 2>/dev/null))" docker compose
fi
if command -v docker-compose >/dev/null 2>&1; then
  check "docker-compose ($(docker-compose version --short 2>/dev/null))" docker-compose
fi

# Trust rules, checked on the rendered file with .env.example as the env file (the worst an operator
# can do by copying it): every Inkwell service runs NODE_ENV=production, and only the gateway (and
# the opt-in monitoring profile's Grafana and Prometheus) publishes a port.
trust() {
  if ! python3 -c 'import yaml' >/dev/null 2>&1; then
    echo "skip: trust rules (python3 with PyYAML is not installed)"
    return
  fi
  if out=$(INKWELL_ENV_FILE=.env.example "$@" --profile monitoring config 2>&1 | python3 -c '
import sys, yaml
services = yaml.safe_load(sys.stdin)["services"]
apps = {"gateway", "auth", "inference", "trainer", "report", "audit"}
env = lambda s: s.get("environment") or {}
problems = [n + ": NODE_ENV is " + repr(env(s).get("NODE_ENV")) for n, s in services.items() if n in apps and env(s).get("NODE_ENV") != "production"]
problems += [f"{n} publishes ports" for n, s in services.items() if "ports" in s and n not in {"gateway", "grafana", "prometheus"}]
missing = apps - set(services)
problems += [f"no service {n}" for n in sorted(missing)]
print("\n".join(problems))
sys.exit(1 if problems else 0)
'); then
    echo "ok:   trust rules (NODE_ENV=production everywhere, only the gateway published)"
  else
    echo "FAIL: trust rules"
    echo "$out" | sed 's/^/      /'
    failed=1
  fi
}
if docker compose version >/dev/null 2>&1; then trust docker compose
elif command -v docker-compose >/dev/null 2>&1; then trust docker-compose
fi

if [ "$checked" -eq 0 ]; then
  echo "skip: neither 'docker compose' nor 'docker-compose' is installed; docker-compose.yml not validated"
  echo "      (Debian: apt-get install -y docker-compose)"
  exit 0
fi
exit "$failed"
