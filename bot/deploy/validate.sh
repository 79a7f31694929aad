#!/usr/bin/env bash
# Validates the container and Kubernetes deployment with pinned validators from npm: the manifests against the
# Kubernetes API's schemas plus their cross-references (validate.mjs), and the Dockerfile with dockerfilelint.
# The manifests' HALLPASS_* settings are checked against serve's options by DeploymentManifestsTest (mvn verify).
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
cd "$here"
command -v npm >/dev/null || { echo "validate.sh needs node and npm" >&2; exit 2; }
npm ci --no-audit --no-fund --loglevel=error >/dev/null

echo "kubernetes-models $(node -p "JSON.parse(require('fs').readFileSync('node_modules/kubernetes-models/package.json')).version") (Kubernetes API schemas)"
node validate.mjs
echo "dockerfilelint $(node -p "JSON.parse(require('fs').readFileSync('node_modules/dockerfilelint/package.json')).version")"
node_modules/.bin/dockerfilelint Dockerfile
