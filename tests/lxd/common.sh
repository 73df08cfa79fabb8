# Sourced by tests/lxd scripts: the VM harness's cache and helpers, our prefix.
# shellcheck shell=bash
# shellcheck source=tests/vm/common.sh
. "$(cd "$(dirname "${BASH_SOURCE[0]}")/../vm" && pwd)/common.sh"
vgc_log() { echo "lxd-vm: $*" >&2; }
vgc_die() { echo "lxd-vm: error: $*" >&2; exit 1; }
