#!/bin/sh
# The sysfs front end (attach --sysfs), in the VM: one unchanged tutorial
# script (sysfs-tutorial.sh) first against the kernel's own /sys/class/gpio
# over a gpio-sim chip, then in an unprivileged container through
# vgpiochip over another: the same transcript, step by step. Then what only
# vgpiochip has: the edge seen through poll() after a host pull, busy both
# ways with the chardev, a rule's EPERM, holes, release states on unexport
# and on daemon stop, and the rest of the container's /sys left alone.
# shellcheck disable=SC3043
. /opt/vgc/scenario-lib.sh

G2=/opt/gpiod2/bin
CONF=/tmp/vsys.conf
T=sysfs-tutorial.sh

modprobe cuse 2>/dev/null || true
[ -e /dev/cuse ] || { echo "no /dev/cuse in this kernel"; exit 1; }
[ -d /sys/class/gpio ] || { echo "no /sys/class/gpio: this kernel lacks CONFIG_GPIO_SYSFS"; exit 1; }

# normalize PIN: a transcript with the pin number written as N
normalize() { sed "s/\bgpio$1\b/gpioN/g; s/\b$1\b/N/g"; }
# button_bg OUT CMD...: the button part in the background, its output in OUT
button_bg() { out=$1; shift; "$@" > "$out" 2>&1 & }

echo "# (1) the kernel's /sys/class/gpio over gpio-sim"
sim_chip ksys 8
KCHIP=$CHIP KSYS=$SYS
KBASE=
KDEV=$(cat /sys/kernel/config/gpio-sim/ksys/dev_name)
# its gpiochip<base> sits under the sim's platform device (or the gpio device)
for c in /sys/class/gpio/gpiochip*; do
    case $(basename "$(readlink "$c/device")") in
    "$KDEV"|"$KCHIP") KBASE=$(cat "$c/base") ;;
    esac
done
check "the kernel numbers $KCHIP in /sys/class/gpio (base $KBASE)" test -n "$KBASE"
KPIN=$((KBASE + 3))
$T $KPIN blink > /tmp/k.blink
check "kernel: the pin is driven high on the sim line" test "$(cat $KSYS/sim_gpio3/value)" = 1
button_bg /tmp/k.button $T $KPIN button
check "kernel: the script waits in poll()" wait_for 10 grep -q armed /tmp/k.button
# gpio-sim keeps the level it drove when the line turns input: 1; the pull takes it down
check "kernel: ... reading 1" grep -q "armed value=1" /tmp/k.button
echo pull-down > $KSYS/sim_gpio3/pull
check "kernel: the pull ends the script's poll with POLLPRI POLLERR" \
    wait_for 10 grep -q "edge: POLLPRI POLLERR value=0" /tmp/k.button
wait_for 10 grep -q "ls gpio$KPIN:" /tmp/k.button
$T $KPIN mistakes > /tmp/k.mistakes
cat /tmp/k.blink /tmp/k.button /tmp/k.mistakes | normalize $KPIN > /tmp/k.all
cat /tmp/k.all

echo "# (2) the same script in a container through vgpiochip"
sim_chip vsys 8
VCHIP=$CHIP VSYS=$SYS
cat > $CONF <<EOT
[chip]
tenant = vsys
chip = $VCHIP

[line 0]
host = 0
[line 1]
host = 1
[line 2]
host = 2
release = high
[line 3]
host = 3
release = low
[line 5]
host = 5
directions = input
EOT
vgpiochip --config $CONF --sysfs-base 100 >/tmp/vsys.out 2>/tmp/vsys.err &
DPID=$!
check "vgpiochip --sysfs-base 100 starts" wait_for 20 grep -q " is gpiochip" /tmp/vsys.out
rm -f /tmp/ct.pid
vgc-ct /tmp/ct.pid /bin/sh -c 'while :; do sleep 1000; done' &
wait_for 10 test -s /tmp/ct.pid
CT=$(cat /tmp/ct.pid)
in_ct() { /usr/bin/nsenter -t "$CT" -U -m -p -- "$@"; }
classes_before=$(in_ct ls /sys/class | tr '\n' ' ')
expect "attach --sysfs" "/dev/gpiochip0" \
    vgpiochip attach --name vsys --pid "$CT" --node /dev/gpiochip0 --sysfs
check "the container's /sys/class/gpio is ours (fuse.vgpiochip)" \
    grep -q " /sys/class/gpio .* fuse.vgpiochip " /proc/$CT/mountinfo
expect "every other class is still there" "$classes_before" \
    sh -c "/usr/bin/nsenter -t $CT -U -m -p -- ls /sys/class | tr '\n' ' '"
check "the host's /sys/class/gpio is still the kernel's" test -d /sys/class/gpio/gpiochip$KBASE
expect "the container lists export, gpiochip100, unexport" "export gpiochip100 unexport" \
    sh -c "/usr/bin/nsenter -t $CT -U -m -p -- ls /sys/class/gpio | tr '\n' ' ' | sed 's/ \$//'"
expect "gpiochip100: base label ngpio" "100 vsys 6" \
    in_ct sh -c 'cd /sys/class/gpio/gpiochip100 && echo $(cat base label ngpio)'

VPIN=103
in_ct $T $VPIN blink > /tmp/v.blink
check "vgpiochip: the pin is driven high on the host line" \
    test "$(cat $VSYS/sim_gpio3/value)" = 1
button_bg /tmp/v.button in_ct $T $VPIN button
check "vgpiochip: the script waits in poll()" wait_for 10 grep -q armed /tmp/v.button
check "vgpiochip: ... reading 1" grep -q "armed value=1" /tmp/v.button
echo pull-down > $VSYS/sim_gpio3/pull
check "vgpiochip: the host pull ends the script's poll with POLLPRI POLLERR" \
    wait_for 10 grep -q "edge: POLLPRI POLLERR value=0" /tmp/v.button
wait_for 10 grep -q "ls gpio$VPIN:" /tmp/v.button
in_ct $T $VPIN mistakes > /tmp/v.mistakes
cat /tmp/v.blink /tmp/v.button /tmp/v.mistakes | normalize $VPIN > /tmp/v.all
cat /tmp/v.all
if cmp -s /tmp/k.all /tmp/v.all; then
    pass "the transcripts are the same, step by step ($(wc -l < /tmp/v.all) steps)"
else
    fail "the transcripts differ:"; diff /tmp/k.all /tmp/v.all
fi
n=$(grep -c . /tmp/v.all)
check "the transcript has every step ($n)" test "$n" -ge 30

echo "# (3) what only vgpiochip has: rules, holes, the chardev, release states"
sys_try() { in_ct sh -c "$1" 2>&1 | sed 's/.*: //'; }
expect "a hole (line 4) is EINVAL to export" "Invalid argument" sys_try "echo 104 > /sys/class/gpio/export"
expect "below the base is EINVAL" "Invalid argument" sys_try "echo 3 > /sys/class/gpio/export"
expect "input-only line 5 exports" "" sys_try "echo 105 > /sys/class/gpio/export"
expect "... and its direction out is EPERM (the rule)" "Operation not permitted" \
    sys_try "echo out > /sys/class/gpio/gpio105/direction"
expect "... and stays in" "in" sys_try "cat /sys/class/gpio/gpio105/direction"
expect "unexport 105" "" sys_try "echo 105 > /sys/class/gpio/unexport"

in_ct $G2/gpioset -c gpiochip0 1=1 &
check "a chardev gpioset holds line 1" wait_for 10 sh -c "$G2/gpioinfo -c $VCHIP 1 | grep -q vsys:gpioset"
expect "... so exporting gpio101 is EBUSY" "Device or resource busy" \
    sys_try "echo 101 > /sys/class/gpio/export"
kill_comm gpioset
check "gpioset let go" wait_for 10 sh -c "! $G2/gpioinfo -c $VCHIP 1 | grep -q vsys:gpioset"
expect "export gpio101" "" sys_try "echo 101 > /sys/class/gpio/export"
check "the host sees the export as vsys:sysfs" sh -c "$G2/gpioinfo -c $VCHIP 1 | grep -q vsys:sysfs"
out=$(in_ct $G2/gpioget -c gpiochip0 1 2>&1); rc=$?
check "... and a chardev request for line 1 is refused ($out)" test "$rc" -ne 0
check "... with EBUSY" sh -c "echo '$out' | grep -q 'busy'"

expect "export gpio102 (release high)" "" sys_try "echo 102 > /sys/class/gpio/export"
expect "drive it low" "" sys_try "echo low > /sys/class/gpio/gpio102/direction"
check "host line 2 is low" test "$(cat $VSYS/sim_gpio2/value)" = 0
expect "unexport gpio102" "" sys_try "echo 102 > /sys/class/gpio/unexport"
check "unexport put host line 2 in its release state (high)" \
    wait_for 5 sh -c "test \"\$(cat $VSYS/sim_gpio2/value)\" = 1"

# pulled up, so a freed line would read 1: a 0 is the release state
echo pull-up > $VSYS/sim_gpio3/pull
expect "export gpio103 (release low)" "" sys_try "echo 103 > /sys/class/gpio/export"
expect "drive it high" "" sys_try "echo high > /sys/class/gpio/gpio103/direction"
check "host line 3 is high" test "$(cat $VSYS/sim_gpio3/value)" = 1
# a chardev fd held open keeps the stopping daemon (and its release states) a while
rm -f /tmp/hold; mkfifo -m 666 /tmp/hold
hold_chip() {
    rm -f /tmp/held
    in_ct sh -c 'exec 3</dev/gpiochip0 && echo held > /tmp/held; read x < /tmp/hold' &
}
hold_chip
check "the container holds the chip open" wait_for 10 test -s /tmp/held
kill -TERM $DPID
check "daemon stop puts host line 3 in its release state (low)" \
    wait_for 5 sh -c "test \"\$(cat $VSYS/sim_gpio3/value)\" = 0"
check "... while the daemon still waits for the chardev fd" kill -0 $DPID
echo > /tmp/hold
check "the daemon stops once it is closed" wait_for 15 gone $DPID
check "the host line is free again" sh -c "! $G2/gpioinfo -c $VCHIP 3 | grep -q vsys:"
check "the host mount point is gone" test ! -e /run/vgpiochip/vsys.sysfs

echo "# (4) a daemon restart: the container's /sys/class/gpio comes back"
vgpiochip --config $CONF --sysfs-base 100 >/tmp/vsys2.out 2>/tmp/vsys2.err &
DPID=$!
check "vgpiochip restarts" wait_for 20 grep -q " is gpiochip" /tmp/vsys2.out
check "it re-attached the container" wait_for 10 grep -q "attached pid $CT" /tmp/vsys2.err
expect "the container's /sys/class/gpio is served again" "export gpiochip100 unexport" \
    sh -c "/usr/bin/nsenter -t $CT -U -m -p -- ls /sys/class/gpio | tr '\n' ' ' | sed 's/ \$//'"
expect "one view there, the dead one peeled" 1 \
    sh -c "grep -c ' /sys/class/gpio .* fuse.vgpiochip ' /proc/$CT/mountinfo"
expect "export gpio103 again" "" sys_try "echo 103 > /sys/class/gpio/export"
expect "drive it high" "" sys_try "echo high > /sys/class/gpio/gpio103/direction"
check "host line 3 is high" test "$(cat $VSYS/sim_gpio3/value)" = 1
hold_chip
check "the container holds the chip open" wait_for 10 test -s /tmp/held
kill -TERM $DPID
check "host line 3 goes to its release state (low)" \
    wait_for 5 sh -c "test \"\$(cat $VSYS/sim_gpio3/value)\" = 0"
echo > /tmp/hold
check "the daemon stops again" wait_for 15 gone $DPID

kill "$CT" 2>/dev/null
finish
