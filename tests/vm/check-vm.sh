#!/bin/bash
# Runs a scenario script in the test VM with the project's binaries:
#   tests/vm/check-vm.sh custom|stock [SCRIPT]   (default: every scenario)
set -euo pipefail
cd "$(dirname "$0")/../.."
kernel=${1:-custom}
build=${BUILD:-build}
make --no-print-directory vm-bins >/dev/null
add=(--add "$build/vgpiochip:/usr/bin/vgpiochip"
     --add "$build/vgc-client:/usr/bin/vgc-client"
     --add "$build/vgc-ct:/usr/bin/vgc-ct"
     --add "tests/vm/scenario-lib.sh:/opt/vgc/scenario-lib.sh")
if [ $# -ge 2 ]; then
    exec tests/vm/run-vm.sh --kernel "$kernel" "${add[@]}" "$2"
fi
exec tests/vm/run-vm.sh --kernel "$kernel" "${add[@]}" tests/vm/scenario-cuse.sh
