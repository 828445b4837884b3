#!/usr/bin/env bash
# The one test command (`npm test`). It installs the Debian packages the tests drive
# (real Kafka clients nobody here wrote, Apache Avro's Python reader, MariaDB for the CDC tests, and Chromium for the
# console's browser tests) when they are
# missing and we are root, builds (npm run build: the TypeScript and the web console in dist/console,
# which the console tests are served), lints, and runs every test.
set -euo pipefail
cd "$(dirname "$0")/.."

debian_packages=(kcat python3-kafka python3-confluent-kafka python3-snappy python3-lz4 python3-zstandard python3-avro mariadb-server mariadb-client chromium)
missing=()
for pkg in "${debian_packages[@]}"; do
  dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q 'install ok installed' || missing+=("$pkg")
done
if [ ${#missing[@]} -gt 0 ]; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
    echo "test.sh: installing missing Debian packages: ${missing[*]}"
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
  else
    echo "test.sh: these Debian packages are needed by the tests: ${missing[*]}" >&2
    echo "test.sh: install them (sudo apt-get install -y ${missing[*]}) and run npm test again" >&2
    exit 1
  fi
fi

npm run build
npx eslint .
npx vitest run "$@"
