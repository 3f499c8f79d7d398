#!/usr/bin/env sh
# Bundles every service exactly as the image build does (infra/docker/bundle.mjs), without Docker:
# fails when an entry point is missing, an import does not resolve, or a service imports at run
# time a package that is not in package.json "dependencies" (the image has production deps only).
# Output goes to dist/<app>/ (git-ignored). About a second per service.
#   sh infra/check-bundles.sh
set -u
cd "$(dirname "$0")/.." || exit 1
failed=0
for app in gateway auth inference trainer report audit; do
  if ! node infra/docker/bundle.mjs "$app"; then
    echo "FAIL: $app"
    failed=1
  fi
done
exit "$failed"
