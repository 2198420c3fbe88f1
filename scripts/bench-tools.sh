#!/usr/bin/env bash
# What `make bench` needs beyond the venv, from Debian's packages: wrk (the load) and valgrind
# (`python -m bench.instructions`). Installs only what is missing; a fresh machine has neither.
set -euo pipefail
missing=()
for tool in wrk valgrind; do
  command -v "$tool" >/dev/null 2>&1 || missing+=("$tool")
done
[ ${#missing[@]} -eq 0 ] && exit 0
echo "bench: installing ${missing[*]}"
sudo=""
[ "$(id -u)" -eq 0 ] || sudo="sudo"
$sudo apt-get update -q >/dev/null
DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -q --no-install-recommends "${missing[@]}" >/dev/null
