#!/usr/bin/env bash
# What the test suite needs beyond the .NET SDK, from Debian's packages: sentencepiece (spm_encode / spm_normalize,
# the tokenizer's reference), chromium (the browser tests drive /usr/bin/chromium with Playwright, which never
# downloads a browser) and python3 (reference scripts, the TorchSharp loading fix). Quiet when all are there;
# otherwise installs them (as root, or with password-less sudo) or says exactly what to run.
# Run by every test project before its tests (Directory.Build.targets) and by .ci/run.
# SQUADALBERT_INSTALL_TEST_PREREQUISITES=0 only checks.
set -euo pipefail

missing() {
  local need=()
  { command -v spm_encode && command -v spm_normalize; } >/dev/null 2>&1 || need+=(sentencepiece)
  [ -x /usr/bin/chromium ] || need+=(chromium)
  command -v python3 >/dev/null 2>&1 || need+=(python3)
  echo "${need[*]}"
}

need=$(missing)
[ -z "$need" ] && exit 0

command_line="apt-get update && apt-get install -y --no-install-recommends $need"
refuse() {
  echo "error: the tests need the Debian packages: $need. $1" >&2
  exit 1
}
[ "${SQUADALBERT_INSTALL_TEST_PREREQUISITES:-1}" = 0 ] && refuse "Install them with: sudo sh -c '$command_line'"
command -v apt-get >/dev/null 2>&1 || refuse "This is not a Debian-like system: install sentencepiece's command-line tools, Chromium at /usr/bin/chromium and python3 yourself."
if [ "$(id -u)" = 0 ]; then
  as_root=()
elif sudo -n true 2>/dev/null; then
  as_root=(sudo -n)
else
  refuse "Install them with: sudo sh -c '$command_line'"
fi

# Test projects start together: one installs, the others wait and find everything there.
exec 9>"${TMPDIR:-/tmp}/squad-albert-test-prerequisites.lock"
flock 9
need=$(missing)
[ -z "$need" ] && exit 0
echo "installing the test prerequisites: $need (apt-get)"
export DEBIAN_FRONTEND=noninteractive
log=$(mktemp)
# shellcheck disable=SC2086
if ! { "${as_root[@]}" apt-get update -qq && "${as_root[@]}" apt-get install -y -qq --no-install-recommends $need; } >"$log" 2>&1; then
  cat "$log" >&2
  rm -f "$log"
  refuse "apt-get failed (above)."
fi
rm -f "$log"
need=$(missing)
[ -z "$need" ] || refuse "apt-get ran but they are still missing."
