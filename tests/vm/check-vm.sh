#!/bin/bash
# Runs the VM scenarios with the project's binaries and sums their counts:
#   tests/vm/check-vm.sh custom|stock [SCRIPT]   (default: every scenario)
set -uo pipefail
cd "$(dirname "$0")/../.."
# shellcheck source=tests/vm/common.sh
. tests/vm/common.sh
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
     --add "$build/vgc-inj:/usr/bin/vgc-inj"
     --add "$build/vgc-sysfs-poll:/usr/bin/vgc-sysfs-poll"
     --add "tests/vm/sysfs-tutorial.sh:/usr/bin/sysfs-tutorial.sh"
     --add "$build/vgc-bench:/usr/bin/vgc-bench"
     --add "$build/vgc-vhost-diff:/usr/bin/vgc-vhost-diff"
     --add "tests/vm/scenario-lib.sh:/opt/vgc/scenario-lib.sh"
     --add "docs/status.schema.json:/opt/vgc/status.schema.json"
     --add "tests/vm/schema-check.jq:/opt/vgc/schema-check.jq")
# scenario-sigterm.sh runs an ASan+UBSan daemon (build-san/, make SAN=1)
if [ "$kernel" = custom ] && { [ $# -lt 2 ] || [ "$(basename "$2")" = scenario-sigterm.sh ]; }; then
    make --no-print-directory SAN=1 build-san/vgpiochip >/dev/null || exit 1
    add+=(--add "build-san/vgpiochip:/usr/bin/vgpiochip-san")
fi
if [ $# -ge 2 ]; then
    exec tests/vm/run-vm.sh --kernel "$kernel" "${add[@]}" "$2"
fi
# gpio-sim exists only in the minimal kernel; the stock one runs what needs no gpio-sim
scripts=(tests/vm/scenario-cuse.sh tests/vm/scenario-inject.sh tests/vm/smoke.sh)
[ "$kernel" = custom ] && scripts+=(tests/vm/scenario-attach.sh tests/vm/scenario-attach-attack.sh
                                  tests/vm/scenario-host.sh
                                  tests/vm/scenario-diff.sh tests/vm/scenario-harden.sh
                                  tests/vm/scenario-policy.sh tests/vm/scenario-sigterm.sh
                                  tests/vm/scenario-sysfs.sh tests/vm/scenario-vhost-diff.sh)
for s in "${scripts[@]}"; do
    vgc_counted "${s##*/}" tests/vm/run-vm.sh --kernel "$kernel" "${add[@]}" "$s"
done
tally_end check-vm.sh
exit $vgc_rc
