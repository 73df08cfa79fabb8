#!/bin/bash
# Runs the VM scenarios with the project's binaries and sums their counts:
#   tests/vm/check-vm.sh custom|stock [SCRIPT]   (default: every scenario)
set -uo pipefail
cd "$(dirname "$0")/../.."
kernel=${1:-custom}
build=${BUILD:-build}
make --no-print-directory vm-bins >/dev/null || exit 1
add=(--add "$build/vgpiochip:/usr/bin/vgpiochip"
     --add "$build/vgc-client:/usr/bin/vgc-client"
     --add "$build/vgc-ct:/usr/bin/vgc-ct"
     --add "$build/attach-test:/usr/bin/attach-test"
     --add "$build/test-inject:/usr/bin/test-inject"
     --add "$build/vgc-probe:/usr/bin/vgc-probe"
     --add "$build/vgc-transcript:/usr/bin/vgc-transcript"
     --add "$build/vgc-chaos:/usr/bin/vgc-chaos"
     --add "tests/vm/scenario-lib.sh:/opt/vgc/scenario-lib.sh")
if [ $# -ge 2 ]; then
    exec tests/vm/run-vm.sh --kernel "$kernel" "${add[@]}" "$2"
fi
# gpio-sim exists only in the minimal kernel; the stock one runs what needs no gpio-sim
scripts=(tests/vm/scenario-cuse.sh tests/vm/scenario-inject.sh tests/vm/smoke.sh)
[ "$kernel" = custom ] && scripts+=(tests/vm/scenario-attach.sh tests/vm/scenario-host.sh
                                  tests/vm/scenario-diff.sh tests/vm/scenario-harden.sh
                                  tests/vm/scenario-policy.sh)
pass=0 fail=0 rc=0
out=$(mktemp)
trap 'rm -f "$out"' EXIT
for s in "${scripts[@]}"; do
    tests/vm/run-vm.sh --kernel "$kernel" "${add[@]}" "$s" 2>&1 | tee "$out"
    [ "${PIPESTATUS[0]}" -eq 0 ] || rc=1
    line=$(grep -aE '^[0-9]+ passed, [0-9]+ failed' "$out" | tail -1)
    if [ -n "$line" ]; then
        pass=$((pass + ${line%% *}))
        f=${line#*, }; fail=$((fail + ${f%% *}))
    else
        fail=$((fail + 1))
    fi
done
echo "$pass passed, $fail failed"
exit $rc
