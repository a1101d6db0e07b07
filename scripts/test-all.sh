#!/usr/bin/env bash
# `npm test`: every unit, differential and fuzz test (Vitest), then the end-to-end specs against the
# built app in Debian's Chromium (Playwright). Reports land in .reports/ for the closing count line.
set -u
cd "$(dirname "$0")/.."
bash scripts/ensure-system-deps.sh || exit 1
rm -rf .reports && mkdir -p .reports
npx vitest run --reporter=default --reporter=json --outputFile.json=.reports/vitest.json
unit=$?
e2e=0
if [ -f playwright.config.ts ]; then
  # playwright.config.ts builds the app and serves it with vite preview (webServer).
  npx playwright test
  e2e=$?
fi
node scripts/count-results.mjs
[ $unit -eq 0 ] && [ $e2e -eq 0 ]
