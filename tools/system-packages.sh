#!/usr/bin/env bash
# Installs the Debian packages of system-packages.txt that are missing, for the groups named
# (app, tests). As root it runs apt-get; otherwise it prints the one command to run and goes
# on, since the app and its tests work without them. With --require (CI) a package that is
# still missing afterwards is an error.
set -uo pipefail
cd "$(dirname "$0")/.." || exit 1

require=false
groups=()
for argument in "$@"; do
  case "$argument" in
    --require) require=true ;;
    *) groups+=("$argument") ;;
  esac
done

wanted=()
while read -r package group _why; do
  for name in "${groups[@]}"; do
    [ "$group" = "$name" ] && wanted+=("$package")
  done
done < <(sed -e 's/#.*//' system-packages.txt | awk 'NF >= 2')

missing() {
  local package
  for package in "${wanted[@]}"; do
    dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed" \
      || echo "$package"
  done
}

absent=$(missing | xargs)
[ -z "$absent" ] && exit 0
if ! command -v apt-get >/dev/null 2>&1; then
  echo "note: optional system packages missing (not a Debian system): $absent"
elif [ "$(id -u)" -eq 0 ]; then
  echo "== installing system packages: $absent"
  export DEBIAN_FRONTEND=noninteractive
  # shellcheck disable=SC2086 # one word per package
  { apt-get update -qq && apt-get install -y -qq --no-install-recommends $absent; } \
    || echo "warning: apt-get could not install: $absent"
else
  echo "note: optional system packages missing: $absent"
  echo "      install them with: sudo apt-get install -y --no-install-recommends $absent"
fi
absent=$(missing | xargs)
if $require && [ -n "$absent" ]; then
  echo "FAIL: required here and still missing: $absent" >&2
  exit 1
fi
exit 0
