#!/usr/bin/env bash
# The whole test suite on a fresh Debian 12 machine: installs the Debian packages the tests use when they
# are missing (real Jupyter clients, ipykernel, PostgreSQL, pandas), then runs `dotnet test`.
# Prints, last, one line "N passed, N failed" summed over all test assemblies.
set -uo pipefail
cd "$(dirname "$0")/.."

packages=(
  python3-jupyter-client jupyter-client python3-jupyter-kernel-test python3-ipykernel
  jupyter-console python3-nbclient python3-nbformat python3-jupyter-server python3-pandas python3-prometheus-client
  postgresql
)
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  echo "installing: ${missing[*]}"
  sudo=""
  [ "$(id -u)" -ne 0 ] && sudo="sudo"
  $sudo apt-get update -q && DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -q "${missing[@]}" || {
    echo "could not install ${missing[*]}"; echo "0 passed, 1 failed"; exit 1; }
fi

# The independent Trino/Presto clients (npm) that cross-check the Trino protocol fixture: installed from the
# committed lock file when node_modules is missing or older than the lock.
node_dir=tests/node
if [ ! -f "$node_dir/node_modules/.package-lock.json" ] || [ "$node_dir/package-lock.json" -nt "$node_dir/node_modules/.package-lock.json" ]; then
  (cd "$node_dir" && npm ci --no-audit --no-fund --loglevel=error) || { echo "npm ci failed in $node_dir"; echo "0 passed, 1 failed"; exit 1; }
fi

log=$(mktemp)
# Test projects run one after another (-m:1): each starts real kernel processes, and on 2 cores several
# assemblies at once starve them into timeouts.
dotnet build KernelGateway.sln 2>&1 | tail -3
dotnet test KernelGateway.sln --no-build -m:1 "$@" 2>&1 | tee "$log"
status=${PIPESTATUS[0]}

passed=0; failed=0
while read -r f p; do
  failed=$((failed + f)); passed=$((passed + p))
done < <(sed -nE 's/.*Failed:[[:space:]]+([0-9]+), Passed:[[:space:]]+([0-9]+),.*/\1 \2/p' "$log")
rm -f "$log"
if [ "$status" -ne 0 ] && [ "$failed" -eq 0 ]; then failed=1; fi  # a build or host failure counts
echo "$passed passed, $failed failed"
exit "$status"
