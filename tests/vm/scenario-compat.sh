#!/bin/sh
# 32-bit clients of a 64-bit daemon: the libgpiod tools of a 32-bit Debian
# architecture (i386 under x86_64, armhf under arm64), run by the kernel's
# compat support, go through the whole CUSE scenario in an unprivileged
# container, plus the one place where the ABIs differ: v1 event records.
#
#   scenario-compat.sh [64|32]
#
# 32: the daemon (and the test programs) are that 32-bit architecture's
# build too, compat tasks tracing compat tasks (an armhf userland on an
# arm64 kernel); their libraries are in the image beside the C library.
#
# Needs /vgc/compat.tar (tests/vm-arm64/fetch-compat.sh ARCH) and
# /vgc/scenario-cuse.sh. The compat tools are bind-mounted over /opt/gpiod1/bin
# and /opt/gpiod2/bin, so scenario-cuse.sh runs them unchanged.
# shellcheck disable=SC3043
. /opt/vgc/scenario-lib.sh

tar -xf /vgc/compat.tar -C / || { echo "cannot unpack /vgc/compat.tar"; exit 1; }
ARCH=$(basename /opt/gpiod1-* | sed 's/^gpiod1-//')
echo "# compat tools: $ARCH under a $(uname -m) kernel"

# elf_class FILE: 1 for a 32-bit ELF, 2 for a 64-bit one (e_ident[EI_CLASS])
elf_class() { od -An -tu1 -j4 -N1 "$1" | tr -d ' '; }
for V in 1 2; do
    C=/opt/gpiod$V-$ARCH/bin
    check "v$V $ARCH tools are 32-bit ELF files" [ "$(elf_class "$C/gpioinfo")" = 1 ]
    check "v$V $ARCH gpiodetect runs under this kernel" sh -c "$C/gpiodetect --version >/dev/null"
    mount --bind "$C" /opt/gpiod$V/bin || fail "bind $C over /opt/gpiod$V/bin"
done
BITS=${1:-64}
DAEMON_CLASS=2
[ "$BITS" = 32 ] && DAEMON_CLASS=1
check "the daemon is a $BITS-bit program" [ "$(elf_class /usr/bin/vgpiochip)" = $DAEMON_CLASS ]
check "the daemon runs under this kernel" sh -c "vgpiochip --version >/dev/null 2>&1"

# --- the CUSE scenario with the compat tools
# its ok/not ok lines are counted by the harness as they are printed here; a
# failing check there is not counted again here, only a run that stopped early
/vgc/scenario-cuse.sh >/tmp/cuse.out 2>&1
cat /tmp/cuse.out
check "scenario-cuse.sh with $ARCH tools ran to its end" grep -q "^# end of scenario-cuse.sh:" /tmp/cuse.out

# --- v1 event records: several read at once must parse as the caller's struct
NAME=vcompat
for major in 240 238 237 236 235 234; do
    grep -q "^ *$major " /proc/devices || break
done
vgpiochip --name $NAME --sim 64 --map "5:27" --dev "$major:9" >/tmp/vgcc.out 2>/tmp/vgcc.err &
VGC_PID=$!
wait_for 20 grep -q "is gpiochip" /tmp/vgcc.out || fail "compat daemon came up"
rm -f /tmp/ctc.pid
vgc-ct /tmp/ctc.pid /bin/sh -c 'while :; do sleep 1000; done' &
CT_LAUNCHER=$!
wait_for 10 test -s /tmp/ctc.pid || fail "compat container started"
CT=$(cat /tmp/ctc.pid)
vgpiochip attach --name $NAME --pid "$CT" --node /dev/gpiochip0 || fail "attach"
in_ct() { /usr/bin/nsenter -t "$CT" -U -m -p -- "$@"; }
G=/opt/gpiod1/bin
mon_waiting() { in_ct $G/gpioinfo gpiochip0 | grep -E 'line +5:' | grep -q gpiomon; }

in_ct $G/gpiomon --num-events=2 -F "%o %e %s %n" gpiochip0 5 >/tmp/mon2 2>&1 &
mon=$!
if wait_for 20 mon_waiting; then
    # stopped, the monitor cannot read until both edges are queued: its one
    # read(2) then returns two records
    p=$(pidof gpiomon)
    kill -STOP "$p"
    vgpiochip sim $NAME set 27 1 >/dev/null
    vgpiochip sim $NAME set 27 0 >/dev/null
    kill -CONT "$p"
    wait_for 20 gone $mon || kill_comm gpiomon
    cat /tmp/mon2
    check "v1 gpiomon ($ARCH) gets a rising then a falling edge" \
        sh -c "[ \"\$(cut -d' ' -f1,2 /tmp/mon2 | tr '\n' ' ')\" = '5 1 5 0 ' ]"
    # a record of the wrong size shifts the second one: its timestamp is garbage
    s1=$(sed -n 1p /tmp/mon2 | cut -d' ' -f3)
    s2=$(sed -n 2p /tmp/mon2 | cut -d' ' -f3)
    ts_sane() { [ -n "$s2" ] && [ "$s2" -ge "$s1" ] && [ $((s2 - s1)) -lt 60 ]; }
    check "v1 events read together keep sane timestamps ($s1 s, $s2 s)" ts_sane
else
    fail "v1 gpiomon ($ARCH) requested line 5"
    kill $mon
fi

kill "$CT_LAUNCHER" 2>/dev/null
kill -TERM $VGC_PID
wait_for 10 gone $VGC_PID
cat /tmp/vgcc.err
finish
