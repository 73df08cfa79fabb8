#!/bin/sh
# Attacks on attach and on the daemon's idea of who its tenants are, in the VM:
# - a tenant (root of a user-namespace container, host uid 100000) mounts its
#   own /sys/bus and /sys/dev/char and swaps, as fast as it can, a directory
#   of its own with a symlink to a host-owned directory it cannot write, while
#   the host attaches many times; then the same with the node's directory:
#   nothing may appear in the host's directories and nothing outside the
#   container may change;
# - a helper stuck in the container is killed after 5 s, holding no fd of the
#   caller's, and the attach says so;
# - a container whose root is not mapped: attach refuses, creates nothing;
# - a recorded pid that now is another process: a restarted daemon attaches
#   nothing there, says so, and prunes it from its state file;
# - a node a container kept from a daemon that is gone reaches, through the
#   same dynamic device number, another tenant's daemon: refused on open;
#   `vgpiochip cdi` refuses a dynamic number;
# - lock and state files 0600 and their directories 0700 under umask 022; a
#   run directory others can write is refused before anything is written;
# - a node bound from a nodev /run still opens in the container.
# shellcheck disable=SC3043
. /opt/vgc/scenario-lib.sh

UNSHARE=/usr/bin/unshare
NSENTER=/usr/bin/nsenter
RUN=/run/vgpiochip
ITER=${VGC_ATTACK_ITERATIONS:-200}

# start_ct MAP: a waiting user+mount+pid namespace container (util-linux
# unshare) with its own /proc; MAP is written to its uid_map and gid_map
# ("0 100000 65536": root is host uid 100000). Sets CT and LAUNCHER.
start_ct() {
    $UNSHARE -U -m -p -f --mount-proc --propagation private /bin/sh -c 'exec sleep 1000000' &
    LAUNCHER=$!
    wait_for 10 has_child "$LAUNCHER" || return 1
    CT=$(PARENT=$LAUNCHER child_of)
    echo "$1" > "/proc/$CT/uid_map" && echo "$1" > "/proc/$CT/gid_map"
}
# with_dev: the container gets a private tmpfs /dev, as container managers make
with_dev() { in_ct mount -t tmpfs -o mode=0755 ctdev /dev; }

in_ct() { $NSENTER -t "$CT" -U -m -p -- "$@"; }

# mounts_in PID PATH: how many mounts PID's namespace has at PATH
mounts_in() { awk -v p="$2" '$5 == p' "/proc/$1/mountinfo" | wc -l; }

host_snapshot() {
    for l in /sys/bus/gpio/devices/*; do echo "$l -> $(readlink "$l")"; done > "/tmp/host-bus.$1"
    cat /proc/self/mountinfo > "/tmp/host-mounts.$1"
    find /srv /dev | sort > "/tmp/host-files.$1"
}
host_unchanged() {
    cmp -s /tmp/host-bus.before /tmp/host-bus.after &&
        cmp -s /tmp/host-mounts.before /tmp/host-mounts.after &&
        cmp -s /tmp/host-files.before /tmp/host-files.after
}
empty_dir() { [ -d "$1" ] && [ -z "$(ls -A "$1")" ]; }

# daemon_up LOG: the daemon said where its device is
daemon_up() { wait_for 20 grep -q " is gpiochip0" "$1"; }
# devno LOG: the MAJ:MIN the daemon printed
devno() { sed -n 's/.*(\([0-9]*:[0-9]*\)) is .*/\1/p' "$1" | head -n 1; }

# a major no driver took, for the daemons that need a fixed number
for major in 240 238 237 236 235 234; do
    grep -q "^ *$major " /proc/devices || break
done

echo "# setup"
chmod 0755 /
umask 022
modprobe cuse 2>/dev/null || true
[ -e /dev/cuse ] || { echo "no /dev/cuse in this kernel"; exit 1; }
[ -d /sys/bus/gpio ] || { echo "no /sys/bus/gpio: this kernel has no GPIOLIB"; exit 1; }
# host-owned directories the container sees (same filesystem) but cannot write
mkdir -p /srv/host-bus/devices /srv/host-dev/null /srv/host-node
chmod -R 0755 /srv
host_snapshot before

start_ct "0 100000 65536"
check "container started (pid $CT)" test -n "$CT"
with_dev
cannot_write() { ! in_ct touch /srv/host-bus/devices/probe 2>/dev/null; }
check "its root cannot write the host-owned directories" cannot_write

echo "# the tenant swaps its own directories with symlinks to the host's, attach runs $ITER times"
# Its own /sys/bus and /sys/dev/char (ramfs: a tmpfs would look like an old
# view of ours): gpio is a directory or a symlink to /srv/host-bus; the
# device's link 1:3 leads through x, a directory or a symlink to /srv/host-dev.
attacker_setup() {
    in_ct sh -c 'mount -t ramfs tenant /sys/bus && mkdir -p /sys/bus/gpio/devices &&
        ln -s /etc /sys/bus/gpio/devices/gpiochip99 && ln -s /srv/host-bus /sys/bus/gpio.alt &&
        mount -t ramfs tenant /sys/dev/char && mkdir -p /sys/dev/char/x/null &&
        ln -s /sys/dev/char/x/null /sys/dev/char/1:3 && ln -s /srv/host-dev /sys/dev/char/x.alt'
}
check "the tenant mounts its own /sys/bus and /sys/dev/char" attacker_setup
in_ct attach-test swap /sys/bus gpio gpio.alt &
in_ct attach-test swap /sys/dev/char x x.alt &
# count_comm NAME: how many processes are called NAME
count_comm() {
    n=0
    for p in /proc/[0-9]*; do
        [ "$(cat "$p/comm" 2>/dev/null)" = "$1" ] && n=$((n + 1))
    done
    echo "$n"
}
swapping() { [ "$(count_comm attach-test)" -ge 2 ]; }
check "the two swapping loops run" wait_for 10 swapping
i=0 ok=0 refused=0
: > /tmp/attack.out
while [ $i -lt "$ITER" ]; do
    if attach-test "$CT" /dev/null /dev/gpiochip7 null >> /tmp/attack.out 2>&1; then
        ok=$((ok + 1))
    else
        refused=$((refused + 1))
    fi
    i=$((i + 1))
done
check "the swapping loops ran to the end" swapping
kill_comm attach-test
echo "attach: $ok done, $refused refused; the reasons given:"
sed 's/^attach-test: rc -*[0-9]*: //; s/[0-9][0-9]*/N/g' /tmp/attack.out | sort | uniq -c | head -n 10
check "nothing appeared in the host-owned /srv/host-bus/devices" empty_dir /srv/host-bus/devices
check "nothing appeared in the host-owned /srv/host-dev/null" empty_dir /srv/host-dev/null
ls -la /srv/host-bus/devices /srv/host-dev/null
expect "no attach went through the tenant's own /sys" "0" echo "$ok"
check "the refusal says the tenant's /sys is not the kernel's sysfs" \
    grep -q "not the kernel's sysfs" /tmp/attack.out
attacker_gone() { in_ct umount -l /sys/bus && in_ct umount -l /sys/dev/char; }
check "the tenant's own mounts go" attacker_gone

echo "# the tenant swaps the node's directory with a symlink to a host-owned one, $ITER attaches"
check "the tenant makes /dev/sub and /dev/sub.alt -> /srv/host-node" \
    in_ct sh -c 'mkdir /dev/sub && ln -s /srv/host-node /dev/sub.alt'
in_ct attach-test swap /dev sub sub.alt &
swapping_one() { [ "$(count_comm attach-test)" -ge 1 ]; }
check "the swapping loop runs" wait_for 10 swapping_one
i=0 ok=0 refused=0
: > /tmp/attack.out
while [ $i -lt "$ITER" ]; do
    if attach-test "$CT" /dev/null /dev/sub/gpiochip7 null >> /tmp/attack.out 2>&1; then
        ok=$((ok + 1))
    else
        refused=$((refused + 1))
    fi
    i=$((i + 1))
done
check "the swapping loop ran to the end" swapping_one
kill_comm attach-test
echo "attach: $ok done, $refused refused; the reasons given:"
sed 's/^attach-test: rc -*[0-9]*: //; s/[0-9][0-9]*/N/g' /tmp/attack.out | sort | uniq -c | head -n 10
check "nothing appeared in the host-owned /srv/host-node" empty_dir /srv/host-node

host_snapshot after
check "nothing outside the container changed (host mounts, files, gpio bus)" host_unchanged
if ! host_unchanged; then
    diff /tmp/host-files.before /tmp/host-files.after
    diff /tmp/host-mounts.before /tmp/host-mounts.after
fi
check "attach works again once the tenant stops" attach-test "$CT" /dev/null /dev/gpiochip7 null
expect "and the view is there" 1:3 in_ct cat /sys/bus/gpio/devices/gpiochip7/dev

echo "# a helper that never finishes (stopped once inside the container)"
timeout -s KILL 60 attach-test stall "$CT" /dev/null /dev/gpiochip7 null >/tmp/stall.out 2>&1
cat /tmp/stall.out
check "attach gives up after 5 s, kills the helper and says so" \
    grep -q "^answer: rc .*was killed" /tmp/stall.out
check "the helper is gone (reaped), not left behind" grep -q "^helper gone: yes" /tmp/stall.out
check "the helper held none of the caller's descriptors" grep -q "^inherited: no" /tmp/stall.out
kill "$LAUNCHER" "$CT" 2>/dev/null

echo "# a container whose root is not mapped"
start_ct "1 100001 1000"
check "container without a root started (pid $CT)" test -n "$CT"
expect_match "attach refuses: uid 0 is not mapped" "not mapped" \
    attach-test "$CT" /dev/null /dev/gpiochip7 null
expect "no node was mounted there" 0 mounts_in "$CT" /dev/gpiochip7
check "no node was created as host root (its /dev is the host's)" test ! -e /dev/gpiochip7
kill "$LAUNCHER" "$CT" 2>/dev/null

echo "# modes and the run directory"
mkdir -m 0777 /tmp/open-run
sim_chip attack-host 4
HOSTCHIP=$CHIP
vgpiochip --name early --chip "$HOSTCHIP" --map 0:0 --run-dir /tmp/open-run >/dev/null 2>/tmp/early.err
check "a run directory others can write is refused" grep -q "writable by" /tmp/early.err
check "and nothing was written into it first" empty_dir /tmp/open-run
vgpiochip --name tl --chip "$HOSTCHIP" --map 0:0 >/tmp/tl.out 2>/tmp/tl.err &
TL=$!
check "a daemon on host chip $HOSTCHIP comes up under umask 022" daemon_up /tmp/tl.out
expect "its line lock file is 0600" 600 stat -c %a "$RUN/lines/$HOSTCHIP/0"
expect "the lock directories are 0700" "700 700" \
    sh -c "echo \$(stat -c %a $RUN/lines $RUN/lines/$HOSTCHIP)"
expect "the run directory it made is 0700" 700 stat -c %a "$RUN"
kill -TERM "$TL"
wait_for 10 gone "$TL"

echo "# pid reuse after a daemon restart"
vgpiochip --name tp --sim 8 --map 0-3:0-3 --dev "$major:9" >/tmp/tp.out 2>/tmp/tp.err &
TP=$!
check "daemon tp comes up" daemon_up /tmp/tp.out
start_ct "0 100000 65536"
CT1=$CT LAUNCHER1=$LAUNCHER
with_dev
check "tp attached to container 1 (pid $CT1)" vgpiochip attach --name tp --pid "$CT1" --node /dev/gpiochip0
expect "the state file is 0600" 600 stat -c %a "$RUN/tp.attach"
kill -TERM "$TP"
wait_for 10 gone "$TP"
start_ct "0 100000 65536"
CT2=$CT LAUNCHER2=$LAUNCHER
with_dev
# The reuse, faked: container 1's record, with the pid of container 2 (a live
# process in another mount namespace), as if the kernel had given it that pid.
line=$(grep "^$CT1 " "$RUN/tp.attach")
echo "$CT2 ${line#* }" >> "$RUN/tp.attach"
cat "$RUN/tp.attach"
vgpiochip --name tp --sim 8 --map 0-3:0-3 --dev "$major:9" >/tmp/tp2.out 2>>/tmp/tp.err &
TP=$!
check "daemon tp restarts" daemon_up /tmp/tp2.out
# its control socket is served once the restore is over
check "and answers on its control socket" vgpiochip status tp
expect "container 1, still that process, is re-attached" 2 grep -c "attached pid $CT1:" /tmp/tp.err
expect "the reused pid $CT2 got no node" 0 mounts_in "$CT2" /dev/gpiochip0
expect "nor a view" 0 mounts_in "$CT2" /sys/bus/gpio/devices
check "the log says the pid is another process now" \
    grep -q "not re-attaching pid $CT2 .*another process" /tmp/tp.err
no_record() { ! grep -q "^$CT2 " "$RUN/tp.attach"; }
check "the state file no longer names pid $CT2" no_record
kill -TERM "$TP"
wait_for 10 gone "$TP"
# container 1 ends while the daemon is down: its record goes at the next start
kill "$LAUNCHER1" "$LAUNCHER2" "$CT2" 2>/dev/null
kill -KILL "$CT1"
# gone, or a zombie nobody reaps: either way no namespace is left
ct_gone() { ! test -e "/proc/$1/ns/mnt"; }
check "container 1 is gone" wait_for 10 ct_gone "$CT1"
vgpiochip --name tp --sim 8 --map 0-3:0-3 --dev "$major:9" >/tmp/tp3.out 2>>/tmp/tp.err &
TP=$!
check "daemon tp restarts once more" daemon_up /tmp/tp3.out
check "and answers on its control socket" vgpiochip status tp
check "the log says container 1's process is gone" \
    grep -q "not re-attaching pid $CT1 .*the process is gone" /tmp/tp.err
check "the state file is empty now" test ! -s "$RUN/tp.attach"
kill -TERM "$TP"
wait_for 10 gone "$TP"

echo "# a stale node after a restart with another (dynamic) device number"
vgpiochip --name sa --sim 8 --map 0-3:0-3 >/tmp/sa.out 2>/tmp/sa.err &
SA=$!
check "daemon sa comes up without --dev" daemon_up /tmp/sa.out
SA_DEV=$(devno /tmp/sa.out)
start_ct "0 100000 65536"
CT3=$CT LAUNCHER3=$LAUNCHER
with_dev
check "sa attached to container 3" vgpiochip attach --name sa --pid "$CT3" --node /dev/gpiochip0
check "container 3 opens sa's chip" in_ct sh -c ': < /dev/gpiochip0'
kill -TERM "$SA"
wait_for 10 gone "$SA"
vgpiochip --name sb --sim 8 --map 0-3:0-3 >/tmp/sb.out 2>/tmp/sb.err &
SB=$!
check "daemon sb comes up without --dev" daemon_up /tmp/sb.out
expect "sb got the number sa had ($SA_DEV)" "$SA_DEV" devno /tmp/sb.out
expect_match "container 3's stale node is refused by sb" "not permitted" \
    in_ct sh -c ': < /dev/gpiochip0'
check "sb's log says why" grep -q "open refused" /tmp/sb.err
check "the host still opens sb's chip" sh -c ': < /dev/vgpiochip-sb'
start_ct "0 100000 65536"
CT4=$CT LAUNCHER4=$LAUNCHER
with_dev
check "sb attached to container 4" vgpiochip attach --name sb --pid "$CT4" --node /dev/gpiochip0
check "container 4, attached, opens sb's chip" in_ct sh -c ': < /dev/gpiochip0'
expect_match "vgpiochip cdi refuses a dynamic number and says to fix it" "fixed number" \
    vgpiochip cdi sb --dir /tmp/cdi --view-dir /tmp/cdi-view
check "and wrote no spec" test ! -e /tmp/cdi/vgpiochip-sb.json
kill -TERM "$SB"
wait_for 10 gone "$SB"
kill "$LAUNCHER3" "$CT3" "$LAUNCHER4" "$CT4" 2>/dev/null

echo "# a node bound from a nodev /run"
mount -o remount,nodev /run
vgpiochip --name tn --sim 8 --map 0-3:0-3 --dev "$major:10" >/tmp/tn.out 2>/tmp/tn.err &
TN=$!
check "daemon tn comes up with /run nodev" daemon_up /tmp/tn.out
start_ct "0 100000 65536"
with_dev
check "tn attached" vgpiochip attach --name tn --pid "$CT" --node /dev/gpiochip0
check "the container opens the chip although /run is nodev" in_ct sh -c ': < /dev/gpiochip0'
kill -TERM "$TN"
wait_for 10 gone "$TN"
kill "$LAUNCHER" "$CT" 2>/dev/null
mount -o remount,dev /run

finish
