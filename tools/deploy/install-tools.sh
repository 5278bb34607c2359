#!/usr/bin/env bash
# Installs the offline checkers the test suite runs over docker/ and k8s/ when they are missing:
# - Debian's docker-compose (v1; `docker-compose config` validates docker/compose.yml without an engine);
# - Debian's kubectl 1.20 (package kubernetes-client, with kustomize v2 built in), unpacked into
#   .tools/kubernetes-client/ rather than installed: it conflicts with other kubectl packages
#   (the Google Cloud SDK's) that may own /usr/bin/kubectl.
# Idempotent and quick when both are there. Needs apt (root, or sudo without a password).
set -euo pipefail
cd "$(dirname "$0")/../.."

as_root() { if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo -n "$@"; fi; }

if ! command -v docker-compose >/dev/null 2>&1; then
  echo "installing Debian's docker-compose"
  as_root apt-get install -y -q docker-compose >/dev/null 2>&1 ||
    { as_root apt-get update -q >/dev/null && as_root apt-get install -y -q docker-compose >/dev/null; }
fi

kubectl_dir=.tools/kubernetes-client
if [ ! -x "$kubectl_dir/usr/bin/kubectl" ]; then
  echo "unpacking Debian's kubectl 1.20 (kubernetes-client) into $kubectl_dir"
  download=$(mktemp -d)
  trap 'rm -rf "$download"' EXIT
  (cd "$download" && { apt-get download kubernetes-client >/dev/null 2>&1 ||
    { as_root apt-get update -q >/dev/null && apt-get download kubernetes-client >/dev/null; }; })
  mkdir -p "$kubectl_dir"
  dpkg-deb -x "$download"/kubernetes-client_*.deb "$kubectl_dir"
fi

docker-compose version --short
"$kubectl_dir/usr/bin/kubectl" version --client --short 2>/dev/null || "$kubectl_dir/usr/bin/kubectl" version --client
