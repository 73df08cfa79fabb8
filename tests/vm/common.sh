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
