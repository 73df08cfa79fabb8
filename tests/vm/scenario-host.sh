#!/bin/sh
# Real host lines, in the VM: vgpiochip --chip over a 32-line gpio-sim chip,
# attached to an unprivileged container (vgc-ct) running unchanged libgpiod
# 1.6.3 and 2.x tools. (1) the remap reaches the right host pins, (2) both
# tool versions work over real lines, (3) lines the host holds are busy and
# the host sees who holds ours, (4) tenants on one chip: disjoint maps side
# by side, an overlapping one refused, (5) a hostile raw-uAPI client moves no
# line outside the map, (6) SIGKILL frees every host line.
# shellcheck disable=SC3043
. /opt/vgc/scenario-lib.sh

SIM=/sys/kernel/config/gpio-sim
G1=/opt/gpiod1/bin
G2=/opt/gpiod2/bin
LABEL=vgc-host-bank

modprobe cuse 2>/dev/null || true
[ -e /dev/cuse ] || { echo "no /dev/cuse in this kernel"; exit 1; }
[ -d $SIM ] || { echo "no gpio-sim in this kernel"; exit 1; }

echo "# setup: a 32-line gpio-sim chip"
mkdir $SIM/host $SIM/host/bank0 $SIM/host/bank0/line17
echo 32 > $SIM/host/bank0/num_lines
echo $LABEL > $SIM/host/bank0/label
echo sim-led > $SIM/host/bank0/line17/name
echo 1 > $SIM/host/live
CHIP=$(cat $SIM/host/bank0/chip_name)
SYS=/sys/devices/platform/$(cat $SIM/host/dev_name)/$CHIP
check "gpio-sim chip $CHIP is live" test -c "/dev/$CHIP"


sim_value() { cat "$SYS/sim_gpio$1/value"; }
sim_is() { [ "$(sim_value "$1")" = "$2" ]; }
pull() { echo "pull-$2" > "$SYS/sim_gpio$1/pull"; }
# host_line LINE: the host's own gpioinfo (2.x) line for LINE
host_line() { $G2/gpioinfo -c "$CHIP" | grep -E "line +$1:"; }
# gpioinfo 2.x quotes a consumer only when it has to
host_used_by() { host_line "$1" | grep -qE "consumer=\"?$2"; }
host_free() { ! host_line "$1" | grep -q consumer=; }

# start_daemon NAME ARGS...: vgpiochip in the background; its pid in $DPID
start_daemon() {
    n=$1; shift
    vgpiochip --name "$n" "$@" >"/tmp/$n.out" 2>"/tmp/$n.err" &
    DPID=$!
    wait_for 20 grep -q " is gpiochip" "/tmp/$n.out"
}

check "vpi1 starts on $CHIP" start_daemon vpi1 --chip "$CHIP" --map 4:17,5:27
VPI1=$DPID
check "vpi1 serves host lines 17 and 27 of $CHIP" grep -q "is gpiochip0 .* 6 lines" /tmp/vpi1.out
check "vpi1 says which host chip it uses" grep -q "host chip $CHIP \[$LABEL\] with 32 lines" \
    /tmp/vpi1.err

in_ct() { /usr/bin/nsenter -t "$CT" -U -m -p -- "$@"; }
rm -f /tmp/ct.pid
vgc-ct /tmp/ct.pid /bin/sh -c 'while :; do sleep 1000; done' &
CT_LAUNCHER=$!
wait_for 10 test -s /tmp/ct.pid
CT=$(cat /tmp/ct.pid)
check "container started (pid $CT)" test -n "$CT"
check "vgpiochip attach gives it /dev/gpiochip0" \
    vgpiochip attach --name vpi1 --pid "$CT" --node /dev/gpiochip0

# line_shows V LINE PATTERN [CHIP]: the container's gpioinfo (version V) shows PATTERN on LINE
line_shows() {
    c=${4:-gpiochip0}
    if [ "$1" = 1 ]; then out=$(in_ct $G1/gpioinfo "$c" 2>/dev/null)
    else out=$(in_ct $G2/gpioinfo -c "$c" 2>/dev/null); fi
    echo "$out" | grep -E "line +$2:" | grep -q -- "$3"
}

echo "# (1) the remap reaches the right host pins"
in_ct $G2/gpioset -c gpiochip0 4=1 >/dev/null 2>&1 &
holder=$!
check "gpioset 4=1 in the container drives host sim_gpio17 to 1" wait_for 20 sim_is 17 1
check "sim_gpio27 did not move" sim_is 27 0
kill_comm gpioset; wait_for 20 gone $holder
in_ct $G2/gpiomon -c gpiochip0 --num-events=1 -e rising -F "%o %e" 5 >/tmp/mon1 2>&1 &
mon=$!
if wait_for 20 line_shows 2 5 gpiomon; then
    pull 27 up
    wait_for 20 gone $mon || kill_comm gpiomon
    check "pulling sim_gpio27 up is a rising edge on virtual offset 5" grep -q "^5 1" /tmp/mon1
else
    fail "gpiomon requested line 5"; kill $mon
fi
expect "gpioget 5 reads the pull-up" 1 in_ct $G2/gpioget -c gpiochip0 --numeric 5
pull 27 down
expect "gpioget 5 reads the pull-down" 0 in_ct $G2/gpioget -c gpiochip0 --numeric 5

echo "# (2) unchanged libgpiod 1.6 and 2.x over real lines"
line_4_free() { ! line_shows "$V" 4 gpioset; }
for V in 1 2; do
    G=/opt/gpiod$V/bin
    if [ $V = 1 ]; then
        INFO() { in_ct $G/gpioinfo gpiochip0; }
        GET() { in_ct $G/gpioget gpiochip0 "$1"; }
        SET() { in_ct $G/gpioset gpiochip0 "$1"; }
        HOLD() { in_ct $G/gpioset --mode=signal gpiochip0 "$1"; }
        MON1() { in_ct $G/gpiomon --num-events=1 --rising-edge -F "%o %e" gpiochip0 "$1"; }
    else
        INFO() { in_ct $G/gpioinfo -c gpiochip0; }
        GET() { in_ct $G/gpioget -c gpiochip0 --numeric "$1"; }
        SET() { in_ct $G/gpioset -c gpiochip0 -t0 "$1"; }
        HOLD() { in_ct $G/gpioset -c gpiochip0 "$1"; }
        MON1() { in_ct $G/gpiomon -c gpiochip0 --num-events=1 -e rising -F "%o %e" "$1"; }
    fi
    expect_match "v$V gpiodetect lists the chip" "gpiochip0 \[vpi1\] \(6 lines\)" \
        in_ct $G/gpiodetect
    INFO >/tmp/info.$V 2>&1
    # host names never reach the tenant (they can say which host line it is)
    check "v$V gpioinfo does not show the host's name of line 17 on line 4" \
        sh -c "grep -E 'line +4:' /tmp/info.$V && ! grep -q sim-led /tmp/info.$V"
    check "v$V gpioinfo shows hole 0 as used" \
        sh -c "grep -E 'line +0:' /tmp/info.$V | grep -q unavailable"
    check "v$V gpioinfo shows line 5 unused" \
        sh -c "! grep -E 'line +5:' /tmp/info.$V | grep -qE '\[used\]|consumer'"
    # the pin is pulled the other way first, so only the tenant's drive can set it
    for level in 1 0; do
        if [ $level = 1 ]; then other=0; pull 17 down; else other=1; pull 17 up; fi
        HOLD 4=$level >/dev/null 2>&1 &
        holder=$!
        check "v$V gpioset 4=$level drives sim_gpio17 to $level" wait_for 20 sim_is 17 $level
        kill_comm gpioset; wait_for 20 gone $holder
        check "v$V released, sim_gpio17 follows its pull again" wait_for 20 sim_is 17 $other
    done
    pull 17 down
    pull 27 up
    expect "v$V gpioget 5 reads the pull-up" 1 GET 5
    pull 27 down
    expect "v$V gpioget 5 reads the pull-down" 0 GET 5
    MON1 5 >/tmp/mon.$V 2>&1 &
    mon=$!
    if wait_for 20 line_shows $V 5 gpiomon; then
        pull 27 up
        wait_for 20 gone $mon || kill_comm gpiomon
        check "v$V gpiomon reports a rising edge on offset 5" grep -q "^5 1" /tmp/mon.$V
    else
        fail "v$V gpiomon requested line 5"; kill $mon
    fi
    pull 27 down
    HOLD 4=1 >/dev/null 2>&1 &
    holder=$!
    if wait_for 20 line_shows $V 4 gpioset; then
        if SET 4=0 2>/tmp/busy.$V; then fail "v$V a held line is busy for a second client"
        else check "v$V a held line is busy for a second client" grep -qi busy /tmp/busy.$V; fi
        kill_comm gpioset; wait_for 20 gone $holder
        check "v$V killing the holder releases the line" wait_for 20 line_4_free
        check "v$V the host line is free again" wait_for 20 host_free 17
        check "v$V the released line can be requested again" SET 4=0
    else
        fail "v$V holder requested line 4"; kill $holder
    fi
done

echo "# (3) lines the host holds; what the host sees of ours"
$G2/gpioset -c "$CHIP" 27=1 >/dev/null 2>&1 &
host_holder=$!
wait_for 20 host_used_by 27 gpioset
check "a line the host holds shows as used in the container" \
    line_shows 2 5 unavailable
if in_ct $G2/gpioget -c gpiochip0 --numeric 5 >/dev/null 2>/tmp/busy.host; then
    fail "a line the host holds is busy in the container"
else
    check "a line the host holds is busy in the container" grep -qi busy /tmp/busy.host
fi
kill $host_holder; wait_for 20 gone $host_holder
in_ct $G2/gpioset -c gpiochip0 4=1 >/dev/null 2>&1 &
holder=$!
check "the host sees the tenant's request as vpi1:gpioset" wait_for 20 host_used_by 17 vpi1:gpioset
host_line 17
kill_comm gpioset; wait_for 20 gone $holder

echo "# (4) tenants on one chip"
expect_match "vgpiochip sim says vpi1's lines are real" "no simulated lines" \
    vgpiochip sim vpi1 get 17
if vgpiochip --name vpi4 --chip "$CHIP" --map 0:40 2>/tmp/vpi4.err; then
    fail "a map beyond the host chip is refused"
else
    check "a map beyond the host chip is refused" grep -q "host line 40 .* lines 0-31" /tmp/vpi4.err
fi
cat /tmp/vpi4.err
check "a second tenant on disjoint lines starts" \
    start_daemon vpi2 --chip "/dev/$CHIP" --map 0-3:0-3 --node /dev/gpiochip1
VPI2=$DPID
check "it attaches as /dev/gpiochip1" vgpiochip attach --name vpi2 --pid "$CT" --node /dev/gpiochip1
in_ct $G2/gpioset -c gpiochip0 4=1 >/dev/null 2>&1 &
h1=$!
in_ct $G2/gpioset -c gpiochip1 0=1 2=1 >/dev/null 2>&1 &
h2=$!
check "vpi1 drives sim_gpio17" wait_for 20 sim_is 17 1
check "vpi2 drives sim_gpio0 at the same time" wait_for 20 sim_is 0 1
check "and sim_gpio2" wait_for 20 sim_is 2 1
check "the host sees vpi2's request as vpi2:gpioset" host_used_by 0 vpi2:gpioset
kill_comm gpioset; wait_for 20 gone $h1; wait_for 20 gone $h2
if vgpiochip --name vpi3 --chip $LABEL --map 0:3,1:27,2:9 2>/tmp/vpi3.err >/dev/null; then
    fail "an overlapping third tenant is refused"
else
    pass "an overlapping third tenant is refused"
fi
cat /tmp/vpi3.err
check "the refusal names vpi1 and its line 27" grep -q "host line 27 served by tenant 'vpi1'" \
    /tmp/vpi3.err
check "the refusal names vpi2 and its line 3" grep -q "host line 3 served by tenant 'vpi2'" \
    /tmp/vpi3.err
check "the refusal does not blame line 9" sh -c "! grep -q 'line 9' /tmp/vpi3.err"
check "the refused tenant left no device" test ! -e /dev/vgpiochip-vpi3
kill $VPI2; wait_for 20 gone $VPI2

echo "# (5) a hostile client moves nothing outside the map"
snapshot() {
    for i in $(seq 0 31); do
        case $i in 17|27) ;; *) echo "$i $(sim_value $i)" ;; esac
    done
}
# something other than the default on an unmapped line, so a change shows
pull 9 up
snapshot >/tmp/before
if in_ct vgc-probe /dev/gpiochip0 >/tmp/probe 2>&1; then pass "vgc-probe found nothing wrong"
else fail "vgc-probe found nothing wrong"; fi
cat /tmp/probe
check "vgc-probe could request exactly the 2 mapped lines" \
    grep -q "6 lines: 2 could be requested, 4 busy" /tmp/probe
snapshot >/tmp/after
check "no host line outside the map changed" cmp -s /tmp/before /tmp/after
diff /tmp/before /tmp/after
check "the daemon still runs" kill -0 $VPI1
expect_match "and still serves" "gpiochip0 \[vpi1\] \(6 lines\)" in_ct $G2/gpiodetect
check "the probe left no host line held" sh -c "! $G2/gpioinfo -c $CHIP | grep -q vgc-probe"

echo "# (6) SIGKILL frees the host lines"
in_ct $G2/gpioset -c gpiochip0 4=1 >/dev/null 2>&1 &
in_ct $G2/gpiomon -c gpiochip0 5 >/dev/null 2>&1 &
check "vpi1 holds host line 17" wait_for 20 host_used_by 17 vpi1:gpioset
check "vpi1 holds host line 27" wait_for 20 host_used_by 27 vpi1:gpiomon
kill -9 $VPI1
check "the daemon is gone" wait_for 20 gone $VPI1
check "host line 17 is free again" wait_for 20 host_free 17
check "host line 27 is free again" wait_for 20 host_free 27
kill_comm gpioset; kill_comm gpiomon
check "a new tenant may take the killed tenant's lines (label as --chip)" \
    start_daemon vpi3 --chip $LABEL --map 0:27 --node /dev/gpiochip3
VPI3=$DPID
kill $VPI3; wait_for 20 gone $VPI3

kill "$CT_LAUNCHER" 2>/dev/null
echo "--- daemon logs"
cat /tmp/vpi1.err /tmp/vpi2.err
finish
