#!/bin/sh
# `make bench` payload, in the VM: the same raw-uAPI client against (a) the
# kernel's gpio-sim chardev, (b) vgpiochip over that same chip, (c) a bare
# CUSE device that answers every ioctl at once, and (d) the VM's virtio-gpio
# chip served from the host by vgpiochip --vhost-user. Prints BENCH lines.
#   bench.sh [N [TENANTS [EDGES]]]   (tests/bench/run.sh passes BENCH_N,
#   BENCH_TENANTS and BENCH_EDGES; its host side of (d) takes the same EDGES)
. /opt/vgc/scenario-lib.sh
N=${1:-2000}
EDGES=${3:-300}
SIM=/sys/kernel/config/gpio-sim/bench
mkdir -p $SIM/bank0 && echo 8 > $SIM/bank0/num_lines && echo 1 > $SIM/live
CHIP=$(cat $SIM/bank0/chip_name)
PULLDIR=$(echo /sys/devices/platform/gpio-sim.*/"$CHIP")
echo "# gpio-sim chip $CHIP"
# gpio-sim raises its interrupts from irq_work and handles them in a thread:
# on another CPU that thread folds quick pulls into one edge, so most pulls
# made no event and the edge figures measured gpio-sim. On one CPU (and this
# kernel's PREEMPT_NONE) every pull is one event, as in scenario-diff.sh.
for c in /sys/devices/system/cpu/cpu[1-9]*/online; do
    [ -e "$c" ] && echo 0 > "$c"
done
echo "# $(grep -c ^processor /proc/cpuinfo) CPU(s) online"

# (a) the kernel's own chardev
vgc-bench values kernel /dev/$CHIP $N
vgc-bench request kernel /dev/$CHIP 300
vgc-bench latency kernel /dev/$CHIP 2 $PULLDIR/sim_gpio2/pull 500
vgc-bench flood kernel /dev/$CHIP 3 $PULLDIR/sim_gpio3/pull 2000
vgc-bench sustained kernel /dev/$CHIP 3 $PULLDIR/sim_gpio3/pull 500

# (d) this VM's virtio-gpio chip, when tests/bench/run.sh booted it under QEMU
# 10 with vhost-user-gpio-pci on vgpiochip --vhost-user (the host's lines 17
# and 27 as lines 0 and 1) and a second serial port to the host: the same
# value ioctls; edges start on the host, which measures them (vgc-vhost-bench)
VIRT=$(/opt/gpiod2/bin/gpiodetect 2>/dev/null | awk '/\[virtio/ { print $1; exit }')
if [ -n "$VIRT" ] && [ -e /dev/ttyS1 ]; then
    echo "# (d) virtio-gpio $VIRT through vgpiochip --vhost-user"
    vgc-bench values vhost /dev/$VIRT $N
    vgc-vhost-bench guest /dev/$VIRT 1 /dev/ttyS1 "$EDGES" || echo "# (d) the edges failed"
else
    echo "# (d) no virtio-gpio chip here: the VM front end is not measured"
fi

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
    echo "BENCH vgpiochip.rss kib=$(awk '/VmRSS/{print $2}' /proc/$VGC/status) pss_kib=$(awk '/^Pss:/{print $2}' /proc/$VGC/smaps_rollup)"
    # idle wakeups: context switches of all its threads over 5 idle seconds
    cs() { cat /proc/$VGC/task/*/status | awk '/voluntary_ctxt_switches/{s+=$2} END{print s}'; }
    a=$(cs); sleep 5; b=$(cs)
    echo "BENCH vgpiochip.idle wakeups_per_s=$(( (b - a) / 5 ))"
else
    cat /tmp/vgc.out
    echo "vgpiochip --chip did not start"
fi
kill $VGC 2>/dev/null
wait_for 10 gone $VGC

# 64 tenants side by side over one 64-line gpio-sim chip, one host line each
# (disjoint maps), each daemon with its own CUSE device: started one after
# the other (start-up time each), then every device serves a line request.
T=${2:-64}
SIM64=/sys/kernel/config/gpio-sim/many
mkdir -p $SIM64/bank0 && echo $T > $SIM64/bank0/num_lines && echo 1 > $SIM64/live
CHIP64=$(cat $SIM64/bank0/chip_name)
uptime_cs() { awk '{ split($1, t, "."); print t[1] * 100 + t[2] }' /proc/uptime; }
pids="" started=0 t0=$(uptime_cs)
i=0
while [ $i -lt $T ]; do
    vgpiochip --name t$i --chip "$CHIP64" --map 0:$i >/tmp/t$i.out 2>&1 &
    pids="$pids $!"
    wait_for 20 grep -q "is gpiochip" /tmp/t$i.out && started=$((started + 1))
    i=$((i + 1))
done
t1=$(uptime_cs)
served=0
i=0
while [ $i -lt $T ]; do
    vgc-bench touch t$i /dev/vgpiochip-t$i >/dev/null && served=$((served + 1))
    i=$((i + 1))
done
rss=0 pss=0 rss_max=0
for p in $pids; do
    r=$(awk '/VmRSS/{print $2}' /proc/$p/status 2>/dev/null)
    [ -n "$r" ] || continue
    rss=$((rss + r)); [ "$r" -gt "$rss_max" ] && rss_max=$r
    pss=$((pss + $(awk '/^Pss:/{print $2}' /proc/$p/smaps_rollup)))
done
echo "BENCH tenants n=$T started=$started served=$served start_ms_each=$(( (t1 - t0) * 10 / T )) rss_total_kib=$rss rss_max_kib=$rss_max pss_total_kib=$pss"
for p in $pids; do kill $p 2>/dev/null; done
for p in $pids; do wait_for 10 gone $p; done
echo "bench done"
