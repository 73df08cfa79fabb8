#!/bin/sh
# `make demo`: the product in one narrated run, inside the test VM.
# vgpiochip serves 32 simulated host lines to tenant "vpi1", whose virtual line
# 4 is host line 17 and virtual line 5 is host line 27; an unprivileged
# container gets the chip as /dev/gpiochip0 and uses unchanged libgpiod tools.
. /opt/vgc/scenario-lib.sh
say() { printf '\n=== %s\n' "$*"; }
ct() { echo "container# $*"; /usr/bin/nsenter -t "$CT" -U -m -p -- "$@"; }
host() { echo "host# $*"; "$@"; }

modprobe cuse 2>/dev/null || true
say "Start the daemon for tenant vpi1 (32 simulated host lines)"
echo "host# vgpiochip --name vpi1 --sim 32 --map 4:17,5:27 &"
vgpiochip --name vpi1 --sim 32 --map 4:17,5:27 &
VGC=$!
wait_for 20 test -S /run/vgpiochip/vpi1.sock || { echo "daemon did not start"; exit 1; }

say "Start an unprivileged container (user+pid+mount namespaces, root = host uid 100000)"
vgc-ct /tmp/ct.pid /bin/sh -c 'while :; do sleep 1000; done' &
wait_for 10 test -s /tmp/ct.pid || exit 1
CT=$(cat /tmp/ct.pid)
echo "container init is host pid $CT"

say "Give it the chip as /dev/gpiochip0, with the sysfs view libgpiod checks"
host vgpiochip attach --name vpi1 --pid "$CT" --node /dev/gpiochip0 || exit 1

G2=/opt/gpiod2/bin G1=/opt/gpiod1/bin
say "Inside the container, unchanged libgpiod 2.x tools see one chip with 6 lines"
ct $G2/gpiodetect
ct $G2/gpioinfo
say "Lines 0-3 are holes: they exist but are never available"

say "gpioset in the container drives host line 17"
ct $G2/gpioset -c gpiochip0 -t0 4=1
echo "host line 17 is now: $(vgpiochip sim vpi1 get 17)"

say "A change on host line 27 reaches gpiomon in the container as offset 5"
ct $G2/gpiomon -c gpiochip0 --num-events=2 5 &
MON=$!
mon_ready() { ct $G2/gpioinfo -c gpiochip0 5 2>/dev/null | grep -q gpiomon; }
wait_for 20 mon_ready >/dev/null
host vgpiochip sim vpi1 set 27 1
host vgpiochip sim vpi1 set 27 0
wait $MON

say "libgpiod 1.6 tools work too"
ct $G1/gpioinfo gpiochip0
ct $G1/gpioget gpiochip0 5

say "Stop the daemon: the chip disappears with its process"
kill -TERM $VGC; wait $VGC
ls /dev/vgpiochip-vpi1 2>&1
echo
echo "demo finished"
