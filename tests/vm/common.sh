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

# Counting suites: vgc_counted NAME CMD... runs CMD with its output shown and
# counts its checks with tests/tally.sh (NAME: the script whose end line it
# must print); vgc_rc becomes 1 when CMD fails.
# shellcheck source=tests/tally.sh
. "$VGC_VM_DIR/../tally.sh"
vgc_rc=0
vgc_counted() {
    tally_run "$@" || vgc_rc=1
}
