#!/bin/bash
# Payload proving the VM harness works: run with tests/vm/run-vm.sh on each
# kernel. Custom kernel: a gpio-sim chip made through configfs, seen and read
# by both libgpiod generations. Stock kernel: CUSE loads as a module. Both:
# the host tools the scenarios rely on run with their libraries.
set -uo pipefail
# check, wait_for and finish, as every scenario has them
# shellcheck source=tests/vm/scenario-lib.sh
. /opt/vgc/scenario-lib.sh

# The libgpiod that ld.so picks for gpiodN's tools lives in /opt/gpiodN/lib.
own_library() {
    local n=$1 lib
    lib=$(/lib64/ld-linux-x86-64.so.2 --list "/opt/gpiod$n/bin/gpioinfo" | awk '/libgpiod/ { print $3 }')
    [ -n "$lib" ] && case $(readlink -f "$lib") in "/opt/gpiod$n/lib/"*) true ;; *) false ;; esac
}
# Output is captured before grep -q looks at it: grep exiting at the first
# match would SIGPIPE the tool and pipefail would call that a failure.
version_is() {
    local out
    out=$("/opt/gpiod$1/bin/gpiodetect" --version) && grep -qF "(libgpiod) v$2" <<< "$out"
}

check "gpiod1 tools are libgpiod 1.6" version_is 1 1.6
check "gpiod2 tools are libgpiod 2.x" version_is 2 2.
check "gpiod1 tools use /opt/gpiod1/lib" own_library 1
check "gpiod2 tools use /opt/gpiod2/lib" own_library 2
# shellcheck disable=SC2016 # expanded by the shell inside the namespaces
check "/usr/bin/unshare makes user+pid+mount namespaces" \
    /usr/bin/unshare --user --map-root-user --pid --mount --fork --mount-proc \
    /bin/sh -c 'test "$(id -u)" = 0 && test "$$" = 1'
check "/usr/bin/setpriv drops to nobody" \
    test "$(/usr/bin/setpriv --reuid=65534 --regid=65534 --clear-groups id -u)" = 65534
check "/usr/bin/strace traces a program" \
    /usr/bin/strace -f -o /dev/null /bin/true
check "vgc-mkdev makes a private /dev with null" \
    /usr/bin/unshare --mount /bin/sh -c 'vgc-mkdev /dev && echo x > /dev/null && ! test -e /dev/ttyS0'

cuse_present() { test -c /dev/cuse; }
check "/dev/cuse exists" wait_for 10 cuse_present

if [ "${VGC_KERNEL:-}" = stock ]; then
    check "CUSE is a loaded module on the stock kernel" test -d /sys/module/cuse
    # bookworm's 6.1 is built without gpio-sim: nothing more to test here.
    [ -d /sys/kernel/config/gpio-sim ] || echo "# gpio-sim absent on the stock kernel (expected)"
    finish
    exit
fi

cfg=/sys/kernel/config/gpio-sim/vgc-smoke
check "configfs has gpio-sim" test -d /sys/kernel/config/gpio-sim
mkdir "$cfg" "$cfg/bank0" "$cfg/bank0/line0" "$cfg/bank0/line3"
echo 8 > "$cfg/bank0/num_lines"
echo vgc-smoke-bank > "$cfg/bank0/label"
echo smoke-in > "$cfg/bank0/line0/name"
echo smoke-led > "$cfg/bank0/line3/name"
echo 1 > "$cfg/live"
chip=$(cat "$cfg/bank0/chip_name")
dev=$(cat "$cfg/dev_name")
echo "# gpio-sim device $dev is $chip"
check "the live gpio-sim chip has a /dev node" test -c "/dev/$chip"

pull=/sys/devices/platform/$dev/$chip/sim_gpio0/pull
detect_names_chip() {
    local out
    out=$("/opt/gpiod$1/bin/gpiodetect") && grep -qF "$chip [vgc-smoke-bank] (8 lines)" <<< "$out"
}
info_names_lines() {
    local out
    out=$("/opt/gpiod$1/bin/gpioinfo" "${@:2}") &&
        grep -q "^$chip - 8 lines:" <<< "$out" &&
        grep -qE 'line +0:.*"smoke-in"' <<< "$out" &&
        grep -qE 'line +3:.*"smoke-led"' <<< "$out"
}
get_reads() {
    local n=$1 level=$2
    shift 2
    test "$("/opt/gpiod$n/bin/gpioget" "$@")" = "$level"
}
for level in 1 0; do
    case $level in 1) bias="pull-up" ;; 0) bias="pull-down" ;; esac
    echo "$bias" > "$pull"
    check "gpiod1 gpioget reads $bias as $level" get_reads 1 "$level" "$chip" 0
    check "gpiod2 gpioget reads $bias as $level" get_reads 2 "$level" --numeric -c "$chip" 0
done
check "gpiod1 gpiodetect names the chip" detect_names_chip 1
check "gpiod2 gpiodetect names the chip" detect_names_chip 2
check "gpiod1 gpioinfo lists the named lines" info_names_lines 1 "$chip"
check "gpiod2 gpioinfo lists the named lines" info_names_lines 2 -c "$chip"

echo 0 > "$cfg/live"
check "taking the chip down removes its node" test ! -e "/dev/$chip"
rmdir "$cfg/bank0/line0" "$cfg/bank0/line3" "$cfg/bank0" "$cfg"
finish
