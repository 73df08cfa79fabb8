#!/bin/bash
# `make check`: every stage, each closing with "N passed, N failed"; the total
# comes last. A stage that fails to report counts as one failure.
set -uo pipefail
total_pass=0 total_fail=0 status=0
log=$(mktemp) failures=$(mktemp)
trap 'rm -f "$log" "$failures"' EXIT

stage() {
    local name=$1; shift
    echo "=== $name"
    "$@" 2>&1 | tee "$log"
    local rc=${PIPESTATUS[0]}
    local line
    line=$(grep -E '^[0-9]+ passed, [0-9]+ failed' "$log" | tail -1)
    # The failing checks again at the end: CI keeps only the tail of the log.
    grep -E '^not ok|^FAIL|:[FE]:|slow request' "$log" | sed "s/^/[$name] /" >>"$failures"
    if [ -n "$line" ]; then
        total_pass=$((total_pass + $(echo "$line" | cut -d' ' -f1)))
        total_fail=$((total_fail + $(echo "$line" | cut -d' ' -f3)))
    fi
    if [ "$rc" -ne 0 ]; then
        status=1
        [ -z "$line" ] || [ "$(echo "$line" | cut -d' ' -f3)" = 0 ] && total_fail=$((total_fail + 1))
        echo "=== $name FAILED (exit $rc)"
    fi
}

for s in "$@"; do
    case $s in
    layers) stage "layers: includes go downwards only" make --no-print-directory check-layers ;;
    unit) stage "unit tests" make --no-print-directory check-unit ;;
    unit-san) stage "unit tests under ASan+UBSan" make --no-print-directory check-unit-san ;;
    fuzz) stage "fuzzing: libFuzzer smoke round (60 s)" make --no-print-directory fuzz-smoke ;;
    vm-custom) stage "VM suite, minimal kernel" tests/vm/check-vm.sh custom ;;
    vm-stock) stage "VM suite, Debian's stock kernel" tests/vm/check-vm.sh stock ;;
    platforms) stage "platforms: i386 clients on x86_64; arm64 and armhf clients, armhf daemon on arm64" \
        tests/vm-arm64/check-platforms.sh ;;
    lxd) stage "real containers: LXD and podman with CDI, in a Debian VM" tests/lxd/run.sh ;;
    *) echo "unknown stage $s"; exit 2 ;;
    esac
done
echo
if [ -s "$failures" ]; then
    echo "=== what failed"
    cat "$failures"
fi
echo "$total_pass passed, $total_fail failed"
exit $status
