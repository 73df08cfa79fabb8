# Sourced by the VM harness scripts: cache location and small helpers.
# shellcheck shell=bash

# shellcheck disable=SC2034 # used by the scripts that source this file
VGC_VM_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# /var/tmp survives reboots and is not a tmpfs on Debian, so a second run reuses it.
VGC_CACHE=${VGC_CACHE:-/var/tmp/vgpiochip-cache}

# set -e alone exits silently; say which command failed.
trap 'echo "vm: $(basename "$0"): line $LINENO: \"$BASH_COMMAND\" failed" >&2' ERR

vgc_log() { echo "vm: $*" >&2; }
vgc_die() { echo "vm: error: $*" >&2; exit 1; }

# Serialises cache fills: two concurrent `make` jobs must not build the same
# kernel twice or read a half-written file. The lock fd stays open until exit.
vgc_lock() {
    mkdir -p "$VGC_CACHE"
    exec {vgc_lock_fd}>"$VGC_CACHE/.lock-$1"
    flock "$vgc_lock_fd"
}

# Short content hash of files and strings, used as a cache key.
vgc_key() {
    local arg
    for arg in "$@"; do
        if [ -f "$arg" ]; then sha256sum < "$arg"; else printf '%s\n' "$arg"; fi
    done | sha256sum | cut -c1-16
}

vgc_pkg_version() {
    dpkg-query -W -f='${Version}' "$1" 2>/dev/null || vgc_die "package $1 is not installed (run tests/deps.sh)"
}

# vgc_apt_download DIR PKG...: Debian packages into DIR, from the apt sources
# tests/deps.sh sets up (bookworm-backports; the i386, arm64, armhf architectures).
vgc_apt_download() {
    local dir=$1
    shift
    mkdir -p "$dir"
    # as root apt-get download otherwise warns that _apt cannot write to the cwd
    (cd "$dir" && apt-get download -q -o APT::Sandbox::User=root "$@" >&2) ||
        vgc_die "apt-get download $* failed (missing apt sources or architectures? run tests/deps.sh)"
}

# Counting suites: vgc_counted CMD... runs CMD with its output shown and adds
# its closing "N passed, N failed" to vgc_pass/vgc_fail (a suite that prints
# none counts as one failure); vgc_rc becomes 1 when CMD fails.
vgc_pass=0 vgc_fail=0 vgc_rc=0
vgc_counted() {
    local out line f
    out=$(mktemp)
    "$@" 2>&1 | tee "$out"
    [ "${PIPESTATUS[0]}" -eq 0 ] || vgc_rc=1
    line=$(grep -aE '^[0-9]+ passed, [0-9]+ failed' "$out" | tail -1)
    rm -f "$out"
    if [ -n "$line" ]; then
        vgc_pass=$((vgc_pass + ${line%% *}))
        f=${line#*, }; vgc_fail=$((vgc_fail + ${f%% *}))
    else
        vgc_fail=$((vgc_fail + 1))
    fi
}
