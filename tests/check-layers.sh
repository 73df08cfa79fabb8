#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# The layers include only downwards. From the bottom:
#   abi      the GPIO uAPI's own helpers (flag groups, per-line accessors)
#   policy   map, rules, config: pure, no I/O
#   backend  host chip and simulated lines
#   uapi     the chardev's semantics over the three above
#   inject   fd injection: knows nothing of GPIO
#   sysfs    the /sys/class/gpio front end over uapi (FUSE allowed)
#   cuse     the front end, over everything
#   vhost    the VM front end beside cuse: its protocol, ring and device files
#            stand on uapi and below; only its start-up (run.c, vhost.h)
#            borrows cuse's daemon services (settings, control socket, privs)
# One check per source file: every #include "..." resolves into an allowed
# layer, and no layer but cuse/ names a FUSE header.
set -u
cd "$(dirname "$0")/.."
# shellcheck source=tests/tally.sh
. tests/tally.sh

declare -A allowed=(
    [abi]="abi"
    [policy]="abi policy"
    [backend]="abi backend"
    [uapi]="abi policy backend uapi"
    [inject]="inject"
    [vhost]="abi policy backend uapi vhost"
    [vhost-run]="abi policy backend uapi vhost cuse inject"
    [sysfs]="abi policy backend uapi sysfs"
)

for layer in abi policy backend uapi inject sysfs vhost vhost-run; do
    case $layer in
    vhost-run) files="vhost/run.c vhost/vhost.h" ;;
    vhost) files=$(git ls-files 'vhost/*.c' 'vhost/*.h' | grep -vxE 'vhost/(run\.c|vhost\.h)') ;;
    *) files=$(git ls-files "$layer/*.c" "$layer/*.h" "$layer/**/*.h") ;;
    esac
    for f in $files; do
        bad=""
        while read -r inc; do
            # the layer an include lands in, resolved from the including file's folder
            target=$(realpath -m --relative-to=. "$(dirname "$f")/$inc")
            top=${target%%/*}
            case " ${allowed[$layer]} " in
            *" $top "*) ;;
            *) bad+=" $inc" ;;
            esac
        done < <(sed -n 's/^#include "\(.*\)".*/\1/p' "$f")
        [ "$layer" != sysfs ] && grep -qE '^#include *<(fuse|cuse)' "$f" && bad+=" (a FUSE header)"
        if [ -z "$bad" ]; then
            echo "ok - $f includes only from: ${allowed[$layer]}"
            tally_pass=$((tally_pass + 1))
        else
            echo "not ok - $f includes upwards:$bad"
            tally_fail=$((tally_fail + 1))
        fi
    done
done
tally_end check-layers.sh
