#!/bin/sh
# The CUSE chain end to end, in the VM: vgpiochip on simulated lines, attached
# to an unprivileged "container" (user+pid+mount namespaces, root = uid
# 100000), driven by unchanged libgpiod 1.6.3 and 2.x tools inside it.
# shellcheck disable=SC3043
. /opt/vgc/scenario-lib.sh

NAME=vpi1
RUN=/run/vgpiochip
# holes: virtual line 6; names on 4 and 5; lines 8-39 for the thread test
MAP="0-3:0-3,4:17=LED,5:27=BTN,7:20,8-39:32-63"

modprobe cuse 2>/dev/null || true
[ -e /dev/cuse ] || { echo "no /dev/cuse in this kernel"; exit 1; }

# a fixed device number, so that attached views stay valid across a restart;
# a major no driver took (arm64 kernels give theirs 239-254 dynamically)
for major in 240 238 237 236 235 234; do
    grep -q "^ *$major " /proc/devices || break
done
DEV=$major:7
vgpiochip --name $NAME --sim 64 --map "$MAP" --dev $DEV >/tmp/vgc.out 2>/tmp/vgc.err &
VGC_PID=$!
check "daemon comes up and says where the device is" \
    wait_for 20 grep -q "is gpiochip0" /tmp/vgc.out
cat /tmp/vgc.out

# in_ct CMD...: run a command inside the container as its root (host uid 100000)
in_ct() { /usr/bin/nsenter -t "$CT" -U -m -p -- "$@"; }

start_ct() {
    rm -f /tmp/ct.pid
    vgc-ct /tmp/ct.pid /bin/sh -c 'while :; do sleep 1000; done' &
    CT_LAUNCHER=$!
    wait_for 10 test -s /tmp/ct.pid || return 1
    CT=$(cat /tmp/ct.pid)
}
# the container runs in a user namespace of its own
ct_running() {
    ns=$(readlink "/proc/$CT/ns/user") && [ -n "$ns" ] && [ "$ns" != "$(readlink /proc/self/ns/user)" ]
}
start_ct
check "container started (pid $CT)" ct_running
check "vgpiochip attach gives the container /dev/gpiochip0" \
    vgpiochip attach --name $NAME --pid "$CT" --node /dev/gpiochip0
ct_unprivileged() { in_ct cat /proc/self/uid_map | grep -q 100000; }
check "the container's root is host uid 100000, not host root" ct_unprivileged
# the host may have a real chip by that name (arm64 virt: its PL061); just not ours
not_ours() { [ ! -e "$1" ] || [ "$(stat -c '%t:%T' "$1")" != "$(printf '%x:%x' "${DEV%:*}" "${DEV#*:}")" ]; }
check "the host did not get the container's /dev/gpiochip0" not_ours /dev/gpiochip0

host_level() { vgpiochip sim $NAME get "$1"; }
host_is() { [ "$(host_level "$1")" = "$2" ]; }

# line_used V LINE PATTERN: gpioinfo of version V inside shows PATTERN on LINE
line_shows() {
    in_ct "$G/gpioinfo" $INFO_ARGS 2>/dev/null | grep -E "line +$2:" | grep -q -- "$3"
}

notify_waiting() {
    p=$(pidof gpionotify) || return 1
    case $(cut -d' ' -f1 "/proc/$p/syscall") in 7|271|73|168|309|336|414) return 0 ;; esac
    return 1
}
line_4_free() { ! line_shows "$V" 4 gpioset; }

for V in 1 2; do
    G=/opt/gpiod$V/bin
    if [ $V = 1 ]; then
        INFO_ARGS=gpiochip0; CHIP_ARG=gpiochip0
        GET() { in_ct "$G/gpioget" gpiochip0 "$1"; }
        SET() { in_ct "$G/gpioset" gpiochip0 "$1"; }
        HOLD() { in_ct "$G/gpioset" --mode=signal gpiochip0 "$1"; }
        MON1() { in_ct "$G/gpiomon" --num-events=1 --rising-edge -F "%o %e" gpiochip0 "$1"; }
    else
        INFO_ARGS="-c gpiochip0"; CHIP_ARG="-c gpiochip0"
        GET() { in_ct "$G/gpioget" -c gpiochip0 --numeric "$1"; }
        SET() { in_ct "$G/gpioset" -c gpiochip0 -t0 "$1"; }
        HOLD() { in_ct "$G/gpioset" -c gpiochip0 "$1"; }
        MON1() { in_ct "$G/gpiomon" -c gpiochip0 --num-events=1 -e rising -F "%o %e" "$1"; }
    fi
    echo "# libgpiod $V: $($G/gpiodetect --version 2>&1 | head -1)"

    out=$(in_ct "$G/gpiodetect" 2>&1)
    echo "$out"
    check "v$V gpiodetect lists the chip" sh -c "echo '$out' | grep -q 'gpiochip0 \[$NAME\] (40 lines)'"

    in_ct "$G/gpioinfo" $INFO_ARGS >/tmp/info.$V 2>&1
    head -9 /tmp/info.$V
    check "v$V gpioinfo names line 4 LED" sh -c "grep -E 'line +4:' /tmp/info.$V | grep -q LED"
    check "v$V gpioinfo names line 5 BTN" sh -c "grep -E 'line +5:' /tmp/info.$V | grep -q BTN"
    check "v$V gpioinfo shows the hole as used" \
        sh -c "grep -E 'line +6:' /tmp/info.$V | grep -q unavailable"
    check "v$V gpioinfo shows the 40 virtual lines" sh -c "[ \$(grep -cE 'line +[0-9]+:' /tmp/info.$V) = 40 ]"

    # gpioset holds the line until killed (1.6 with --mode=signal)
    for level in 1 0; do
        HOLD 4=$level >/dev/null 2>&1 &
        holder=$!
        check "v$V gpioset 4=$level drives host line 17 to $level" wait_for 20 host_is 17 $level
        kill_comm gpioset
        wait_for 20 gone $holder
    done

    vgpiochip sim $NAME set 27 1 >/dev/null
    [ "$(GET 5)" = 1 ] && pass "v$V gpioget 5 reads host input 27 high" || fail "v$V gpioget 5 reads host input 27 high"
    vgpiochip sim $NAME set 27 0 >/dev/null
    [ "$(GET 5)" = 0 ] && pass "v$V gpioget 5 reads host input 27 low" || fail "v$V gpioget 5 reads host input 27 low"

    MON1 5 >/tmp/mon.$V 2>&1 &
    mon=$!
    if wait_for 20 line_shows $V 5 gpiomon; then
        vgpiochip sim $NAME set 27 1 >/dev/null
        wait_for 20 gone $mon || kill_comm gpiomon
        cat /tmp/mon.$V
        check "v$V gpiomon reports a rising edge on virtual offset 5" grep -q "^5 1" /tmp/mon.$V
    else
        fail "v$V gpiomon requested line 5"; kill $mon
    fi
    vgpiochip sim $NAME set 27 0 >/dev/null

    if [ $V = 2 ]; then
        in_ct "$G/gpionotify" -c gpiochip0 --num-events=2 4 >/tmp/notify 2>&1 &
        nt=$!
        # its watch is set once it sits in poll() or ppoll(): x86_64 7 or 271,
    # arm64 73, i386 and armhf 168, 309/336 or ppoll_time64 414
        wait_for 20 notify_waiting
        SET 4=1
        wait_for 20 gone $nt || kill_comm gpionotify
        cat /tmp/notify
        check "v2 gpionotify reports requested" grep -q requested /tmp/notify
        check "v2 gpionotify reports released" grep -q released /tmp/notify
    fi

    HOLD 4=1 >/dev/null 2>&1 &
    holder=$!
    if wait_for 20 line_shows $V 4 gpioset; then
        pass "v$V a held line shows as used by gpioset"
        if SET 4=0 2>/tmp/busy.$V; then fail "v$V a held line is busy for a second client"
        else
            grep -qi "busy" /tmp/busy.$V && pass "v$V a held line is busy for a second client" \
                || { cat /tmp/busy.$V; fail "v$V a held line is busy for a second client"; }
        fi
        kill_comm gpioset
        wait_for 20 gone $holder
        check "v$V killing the holder releases the line" wait_for 20 line_4_free
        check "v$V the released line can be requested again" SET 4=0
    else
        fail "v$V holder requested line 4"; kill $holder
    fi

    if in_ct strace -f -o /dev/null "$G/gpioget" $CHIP_ARG 0 >/tmp/strace.$V 2>&1; then
        fail "v$V a client under strace gets EPERM"
    else
        grep -qi "not permitted" /tmp/strace.$V && pass "v$V a client under strace gets EPERM" \
            || { cat /tmp/strace.$V; fail "v$V a client under strace gets EPERM"; }
    fi
done

check "a daemon log line says why the traced client failed" grep -q "step 'seize'" /tmp/vgc.err
# the device by a path the daemon does not know (no attach): the request is refused
unknown_path() {
    unshare -m sh -c "mount -t tmpfs none /dev && mknod /dev/elsewhere c ${DEV%:*} ${DEV#*:} &&
        vgc-client storm /dev/elsewhere 1" >/tmp/unknown 2>&1 && return 1
    grep -q "Operation not permitted" /tmp/unknown
}
check "a request by a path the daemon does not know fails with EPERM" unknown_path
check "and the daemon's log says to attach first" grep -q "none of its paths to the device is ours; attach it first" /tmp/vgc.err
check "50 requests under a 100 us signal storm all succeed" in_ct vgc-client storm /dev/gpiochip0 50
check "32 threads requesting concurrently all succeed" in_ct vgc-client threads /dev/gpiochip0 32 5 8
vgc-client reads /dev/vgpiochip-$NAME $NAME 20 7 >/tmp/reads 2>&1
cat /tmp/reads
# its checks (blocking, non-blocking, polled and interrupted reads) are counted as printed
check "the reads checks ran to their end" grep -q "^# end of vgc-client reads:" /tmp/reads
# figures for the reader, not a check
in_ct vgc-client bench /dev/gpiochip0 200

# a restarted daemon re-applies the view in the namespaces it had attached
kill -TERM $VGC_PID
wait_for 10 gone $VGC_PID
vgpiochip --name $NAME --sim 64 --map "$MAP" --dev $DEV >/tmp/vgc2.out 2>>/tmp/vgc.err &
VGC_PID=$!
check "restarted daemon comes up" wait_for 20 grep -q "is gpiochip0" /tmp/vgc2.out
G=/opt/gpiod2/bin
check "after a restart, v2 gpiodetect in the container still lists the chip" \
    sh -c "/usr/bin/nsenter -t $CT -U -m -p -- $G/gpiodetect | grep -q 'gpiochip0 \[$NAME\]'"
vgpiochip sim $NAME set 27 1 >/dev/null
check "after a restart, v2 gpioget in the container reads host line 27" \
    sh -c "[ \"\$(/usr/bin/nsenter -t $CT -U -m -p -- $G/gpioget -c gpiochip0 --numeric 5)\" = 1 ]"

kill "$CT_LAUNCHER" 2>/dev/null
kill -TERM $VGC_PID
check "SIGTERM stops the daemon" wait_for 10 sh -c "! kill -0 $VGC_PID"
check "the device goes away with the daemon" test ! -e /dev/vgpiochip-$NAME
echo "--- daemon log"
cat /tmp/vgc.err
finish
