#!/bin/sh
# `make bench` payload, in the VM: the same raw-uAPI client against (a) the
# kernel's gpio-sim chardev, (b) vgpiochip over that same chip, and (c) a bare
# CUSE device that answers every ioctl at once. Prints BENCH lines.
. /opt/vgc/scenario-lib.sh
N=${BENCH_N:-2000}
SIM=/sys/kernel/config/gpio-sim/bench
mkdir -p $SIM/bank0 && echo 8 > $SIM/bank0/num_lines && echo 1 > $SIM/live
CHIP=$(cat $SIM/bank0/chip_name)
PULLDIR=$(echo /sys/devices/platform/gpio-sim.*/"$CHIP")
echo "# gpio-sim chip $CHIP"

# (a) the kernel's own chardev
vgc-bench values kernel /dev/$CHIP $N
vgc-bench request kernel /dev/$CHIP 300
vgc-bench latency kernel /dev/$CHIP 2 $PULLDIR/sim_gpio2/pull 500
vgc-bench flood kernel /dev/$CHIP 3 $PULLDIR/sim_gpio3/pull 2000
vgc-bench sustained kernel /dev/$CHIP 3 $PULLDIR/sim_gpio3/pull 500

# (c) the floor: CUSE round trips and nothing else
vgc-floor cuse-floor &
FLOOR=$!
wait_for 10 test -c /dev/cuse-floor || { echo "floor device did not appear"; exit 1; }
vgc-bench floor floor /dev/cuse-floor $N
kill $FLOOR

# (b) vgpiochip over the same chip, lines mapped one to one
vgpiochip --name bench --chip "$CHIP" --map 0-7:0-7 >/tmp/vgc.out 2>&1 &
VGC=$!
if wait_for 20 grep -q "is gpiochip" /tmp/vgc.out; then
    vgc-bench values vgpiochip /dev/vgpiochip-bench $N
    vgc-bench request vgpiochip /dev/vgpiochip-bench 300
    vgc-bench latency vgpiochip /dev/vgpiochip-bench 2 $PULLDIR/sim_gpio2/pull 500
    vgc-bench flood vgpiochip /dev/vgpiochip-bench 3 $PULLDIR/sim_gpio3/pull 2000
    vgc-bench sustained vgpiochip /dev/vgpiochip-bench 3 $PULLDIR/sim_gpio3/pull 500
    echo "BENCH vgpiochip.rss kib=$(awk '/VmRSS/{print $2}' /proc/$VGC/status)"
    # idle wakeups: context switches of all its threads over 5 idle seconds
    cs() { cat /proc/$VGC/task/*/status | awk '/voluntary_ctxt_switches/{s+=$2} END{print s}'; }
    a=$(cs); sleep 5; b=$(cs)
    echo "BENCH vgpiochip.idle wakeups_per_s=$(( (b - a) / 5 ))"
else
    cat /tmp/vgc.out
    echo "vgpiochip --chip did not start"
fi
kill $VGC 2>/dev/null
echo "bench done"
