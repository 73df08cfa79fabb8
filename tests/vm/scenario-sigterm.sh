#!/bin/sh
# SIGTERM under load, with an ASan+UBSan build of the daemon (make SAN=1), in
# the VM over a gpio-sim chip. 64 clients each hold a line (release = high
# or low) and keep requesting another from a mount namespace of their own
# whose /dev is a FUSE filesystem where every lookup takes 3 s: an injected
# open waits out the watchdog (2 s), so the injector's queue stays long.
# Then SIGTERM: the held lines go to their release state, the daemon answers
# the queued requests before its session goes (libfuse is not instrumented:
# a reply into a destroyed session shows as its "writing device" error) and
# exits 0 with no sanitizer report, the host lines are free. Then again with
# clients whose requests succeed back to back, and a second SIGTERM at once
# (not waited out): the daemon exits 0, nothing to report.
# shellcheck disable=SC3043
. /opt/vgc/scenario-lib.sh

N=${SIGTERM_CLIENTS:-64}
G2=/opt/gpiod2/bin
CONF=/tmp/st.conf
ERR=/tmp/st.err

modprobe cuse 2>/dev/null || true
[ -e /dev/cuse ] || { echo "no /dev/cuse in this kernel"; exit 1; }
command -v vgpiochip-san >/dev/null ||
    { fail "no ASan daemon in the VM (make SAN=1 build-san/vgpiochip)"; finish; exit 1; }

sim_chip st $((2 * N))
# held lines: the even ones at 0 with release = high, the odd ones at 1 with
# release = low over a pull-up (so a line merely let go reads 1, not 0)
{
    printf '[chip]\ntenant = st\nchip = %s\n' "$CHIP"
    i=0
    while [ $i -lt $((2 * N)) ]; do
        rel=high
        if [ $i -lt "$N" ] && [ $((i % 2)) = 1 ]; then
            rel=low
            echo pull-up > "$SYS/sim_gpio$i/pull"
        fi
        printf '\n[line %d]\nhost = %d\nrelease = %s\n' $i $i $rel
        i=$((i + 1))
    done
} > $CONF
# no leak check: LeakSanitizer stops the world with a clone the seccomp filter refuses
ASAN_OPTIONS=detect_leaks=0:symbolize=0 UBSAN_OPTIONS=print_stacktrace=1:symbolize=0 \
    vgpiochip-san --config $CONF >/tmp/st.out 2>$ERR &
DPID=$!
check "the ASan daemon starts" wait_for 60 grep -q " is gpiochip" /tmp/st.out

# the clients hold their lines first, then all start queueing at a byte each
mkfifo /tmp/go
exec 3<>/tmp/go
i=0
while [ $i -lt "$N" ]; do
    vgc-inj queue /dev/vgpiochip-st $i $((i % 2)) $((N + i)) <&3 >/tmp/q.$i 2>&1 &
    i=$((i + 1))
done
num_held() { grep -l '^held' /tmp/q.* 2>/dev/null | wc -l; }
all_held() { [ "$(num_held)" -eq "$N" ]; }
check "$N clients hold a line each" wait_for 180 all_held
head -c "$N" /dev/zero >&3
watchdogs() { [ "$(grep -c "failed at step 'watchdog'" $ERR)" -ge "$1" ]; }
check "injected opens wait on the slow /dev: the injector's watchdog fires" wait_for 60 watchdogs 2

kill -TERM $DPID
# even lines high, odd ones low: each line's release state, read with the
# shell's own read (the daemon lingers only 5 s, and the VM is busy)
released() {
    i=0 wrong=""
    while [ $i -lt "$N" ]; do
        read -r v < "$SYS/sim_gpio$i/value"
        [ "$v" = $(((i + 1) % 2)) ] || wrong="$wrong $i"
        i=$((i + 1))
    done
    echo "$wrong" > /tmp/wrong
    [ -z "$wrong" ]
}
check "every held line went to its release state on the host" wait_for 20 released
echo "# last look: lines not in their release state:$(cat /tmp/wrong)"
check "the daemon exits" wait_for 60 gone $DPID
wait $DPID
rc=$?
check "... with status 0 (got $rc)" test "$rc" = 0
check "the requests still queued were answered, not run" grep -q "failed at step 'stop'" $ERR
check "no sanitizer report" sh -c "! grep -qE 'Sanitizer|runtime error' $ERR"
# libfuse is not instrumented: a reply into a destroyed session shows as its own error
check "no reply went to a session already destroyed" sh -c "! grep -q 'fuse: writing device' $ERR"
lines_free() { ! $G2/gpioinfo -c "$CHIP" | grep -q consumer; }
check "the host lines are free" wait_for 10 lines_free
echo "# $(grep -c "failed at step 'watchdog'" $ERR) watchdogs, $(grep -c "failed at step 'stop'" $ERR) requests answered at the stop"
for p in /proc/[0-9]*; do
    [ "$(cat "$p/comm" 2>/dev/null)" = vgc-inj ] && kill -KILL "${p#/proc/}" 2>/dev/null
done
exec 3>&-

echo "# a second SIGTERM at once (not waited out) while $N clients keep requesting"
ERR=/tmp/st2.err
ASAN_OPTIONS=detect_leaks=0:symbolize=0 UBSAN_OPTIONS=print_stacktrace=1:symbolize=0 \
    vgpiochip-san --config $CONF >/tmp/st2.out 2>$ERR &
DPID=$!
check "the ASan daemon starts again" wait_for 60 grep -q " is gpiochip" /tmp/st2.out
rm -f /tmp/q.* /tmp/go
mkfifo /tmp/go
exec 3<>/tmp/go
i=0
while [ $i -lt "$N" ]; do
    vgc-inj loop /dev/vgpiochip-st $i $((i % 2)) $((N + i)) <&3 >/tmp/q.$i 2>&1 &
    i=$((i + 1))
done
check "$N clients hold a line each" wait_for 180 all_held
head -c "$N" /dev/zero >&3
requests() { [ "$(grep -c 'event=request .*consumer="queue"' $ERR)" -ge "$1" ]; }
check "the clients keep requesting" wait_for 60 requests $((2 * N))
kill -TERM $DPID
kill -TERM $DPID
check "the daemon exits at once" wait_for 30 gone $DPID
wait $DPID
rc=$?
check "... with status 0 (got $rc)" test "$rc" = 0
check "no sanitizer report" sh -c "! grep -qE 'Sanitizer|runtime error' $ERR"
# libfuse is not instrumented: a reply into a destroyed session shows as its own error
check "no reply went to a session already destroyed" sh -c "! grep -q 'fuse: writing device' $ERR"
check "the host lines are free" wait_for 10 lines_free
echo "# $(grep -c "failed at step 'stop'" $ERR) requests answered at the stop"
for p in /proc/[0-9]*; do
    [ "$(cat "$p/comm" 2>/dev/null)" = vgc-inj ] && kill -KILL "${p#/proc/}" 2>/dev/null
done
[ "$failed" -eq 0 ] || for e in /tmp/st.err /tmp/st2.err; do
    echo "# the daemon's log ($e):"
    grep -v "failed at step\|audit" $e | tail -40 | sed 's/^/#   /'
done
finish
