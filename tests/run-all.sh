#!/bin/bash
# `make check`: every stage, counted by tests/tally.sh from its ok/not ok
# lines (a stage without its end line, or that failed with no failing check,
# is one failure more); the failing checks again, then the total, come last.
set -uo pipefail
# shellcheck source=tests/tally.sh
. "$(dirname "$0")/tally.sh"
status=0
log=$(mktemp) failures=$(mktemp)
trap 'rm -f "$log" "$failures"' EXIT

# stage TITLE END CMD...: END is the name in the end line CMD must print.
stage() {
    local title=$1 end=$2 rc
    shift 2
    echo "=== $title"
    "$@" 2>&1 | tee "$log"
    rc=${PIPESTATUS[0]}
    tally_count "$end" "$log" "$rc"
    # The failing checks again at the end: CI keeps only the tail of the log.
    grep -aE '^not ok|slow request' "$log" | sed "s/^/[$title] /" >>"$failures"
    if [ "$rc" -ne 0 ]; then
        status=1
        echo "=== $title FAILED (exit $rc)"
    fi
}

for s in "$@"; do
    case $s in
    layers) stage "layers: includes go downwards only" check-layers.sh \
        make --no-print-directory check-layers ;;
    unit) stage "unit tests" unit-tests make --no-print-directory check-unit ;;
    unit-san) stage "unit tests under ASan+UBSan" unit-tests make --no-print-directory check-unit-san ;;
    fuzz) stage "fuzzing: libFuzzer smoke round" fuzz make --no-print-directory fuzz-smoke ;;
    packaging) stage "packaging: flags, install, uninstall, clean, make deb, lintian" packaging \
        tests/packaging/check.sh ;;
    vm-custom) stage "VM suite, minimal kernel" check-vm.sh tests/vm/check-vm.sh custom ;;
    vm-stock) stage "VM suite, Debian's stock kernel" check-vm.sh tests/vm/check-vm.sh stock ;;
    platforms) stage "platforms: i386 clients on x86_64; arm64 and armhf clients, armhf daemon on arm64" \
        check-platforms.sh tests/vm-arm64/check-platforms.sh ;;
    vhost) stage "VM front end: a QEMU guest on vgpiochip --vhost-user (virtio-gpio)" vhost.sh \
        tests/vhost/run.sh ;;
    lxd) stage "real containers: LXD and podman with CDI, in a Debian VM" lxd tests/lxd/run.sh ;;
    *) echo "unknown stage $s"; exit 2 ;;
    esac
done
echo
if [ -s "$failures" ]; then
    echo "=== what failed"
    cat "$failures"
fi
tally_end make-check && exit $status
exit 1
