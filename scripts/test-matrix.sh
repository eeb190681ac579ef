#!/usr/bin/env bash
# The test suite on other Node.js majors (default: 22 and 24), each from the npm `node` package
# (scripts/node-runtime.sh). Node 20.18 (engines) is covered by `npm test` itself on the Node you
# have. dist/ is built once by `npm test`; every process the tests start (`node` on PATH,
# process.execPath) runs on the Node under test. CI runs this after the README's test command.
set -euo pipefail
cd "$(dirname "$0")/.."
majors=("$@")
[ ${#majors[@]} -gt 0 ] || majors=(22 24)
[ -f dist/index.js ] || npm run build
# Every major runs even when an earlier one failed (each verdict is worth having); the exit code
# says whether all passed.
failed=()
for major in "${majors[@]}"; do
  bin=$(bash scripts/node-runtime.sh "$major")
  echo "test-matrix: Node $("$bin" --version)" >&2
  start=$(date +%s)
  # Both Vitest projects (vitest.config.ts): the suite and the externally graded suites.
  if PATH="$(dirname "$bin"):$PATH" "$bin" node_modules/vitest/vitest.mjs run; then
    echo "test-matrix: Node $major passed in $(( $(date +%s) - start )) s" >&2
  else
    echo "test-matrix: Node $major FAILED after $(( $(date +%s) - start )) s" >&2
    failed+=("$major")
  fi
done
[ ${#failed[@]} -eq 0 ] || { echo "test-matrix: failed on Node ${failed[*]}" >&2; exit 1; }
