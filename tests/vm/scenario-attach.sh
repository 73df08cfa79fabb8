#!/bin/sh
# vgc_attach_apply() in the VM, through tests/vm/attach-test: the node and the
# sysfs view in a "container" (util-linux unshare: user+mount+pid namespaces,
# root = host uid 100000 as LXD maps it, its own /proc and a private tmpfs
# /dev), checked from inside; also a plain `unshare --map-root-user` container and one without a
# user namespace. The daemon is not needed: stand-ins are /dev/null (any char device
# with a sysfs directory) and a gpio-sim chip, which libgpiod tools can open.
# shellcheck disable=SC3043
. /opt/vgc/scenario-lib.sh

UNSHARE=/usr/bin/unshare
NSENTER=/usr/bin/nsenter
SIM=/sys/kernel/config/gpio-sim
G1=/opt/gpiod1/bin
G2=/opt/gpiod2/bin

# start_ct ROOT UNSHARE_ARGS...: a waiting container made by util-linux unshare
# with its own /proc and a private tmpfs /dev, as container managers make them.
# ROOT: the host uid of its root, mapped here unless unshare mapped it; "" for
# no user namespace. Sets CT (its host pid), CT_USERNS and LAUNCHER.
start_ct() {
    ct_root=$1; shift
    $UNSHARE -m -p -f --mount-proc "$@" /bin/sh -c 'exec sleep 1000000' &
    LAUNCHER=$!
    wait_for 10 has_child "$LAUNCHER" || return 1
    CT=$(PARENT=$LAUNCHER child_of)
    CT_USERNS=
    if [ -n "$ct_root" ]; then
        CT_USERNS=-U
        if ! grep -q . "/proc/$CT/uid_map"; then
            echo "0 $ct_root 65536" > "/proc/$CT/uid_map" &&
                echo "0 $ct_root 65536" > "/proc/$CT/gid_map" || return 1
        fi
    fi
    in_ct mount -t tmpfs -o mode=0755 ctdev /dev
}

in_ct() { $NSENTER -t "$CT" -m -p $CT_USERNS -- "$@"; }

# mounts_at PATH: how many mounts the container has at PATH, covered ones too.
mounts_at() { awk -v p="$1" '$5 == p' "/proc/$CT/mountinfo" | wc -l; }


host_snapshot() {
    for l in /sys/bus/gpio/devices/*; do echo "$l -> $(readlink "$l")"; done > "/tmp/host-bus.$1"
    cat /proc/self/mountinfo > "/tmp/host-mounts.$1"
}
host_unchanged() { cmp -s /tmp/host-bus.before /tmp/host-bus.after &&
    cmp -s /tmp/host-mounts.before /tmp/host-mounts.after; }

echo "# setup"
# mkinitramfs.sh stages the image in a mktemp -d directory, so / is 0700 and a
# container root that is not host root could not even reach /bin.
chmod 0755 /
[ -d /sys/bus/gpio ] || { echo "no /sys/bus/gpio: this kernel has no GPIOLIB"; exit 1; }
sim_chip attach-real 4
REAL=$CHIP
check "a real gpio-sim chip to keep visible ($REAL)" test -n "$REAL"
sim_chip attach-stand 4
STAND=$CHIP
check "a gpio-sim chip to stand in for our device ($STAND)" test -c "/dev/$STAND"
# The container's root is not host root: the node must be open to it.
chmod 0666 "/dev/$STAND"
REAL_DEV=$(cat "/sys/bus/gpio/devices/$REAL/dev")
STAND_DEV=$(cat "/sys/bus/gpio/devices/$STAND/dev")
NULL_DIR=$(readlink -f /sys/dev/char/1:3)
host_snapshot before

start_ct 100000 -U --propagation private
check "container started (pid $CT)" test -n "$CT"
expect "the container's root is host uid 100000" "0 100000 65536" \
    sh -c "tr -s ' ' < /proc/$CT/uid_map | sed 's/^ //'"

echo "# failures first"
expect_match "a pid that does not exist is named as such" "is it running" \
    attach-test 999999 /dev/null /dev/gpiochip7 null
expect_match "a devname sysfs disagrees with is refused" "sysfs says 1:3 is .*/null, not zero" \
    attach-test "$CT" /dev/null /dev/gpiochip7 zero
expect "the refused attach left no node behind" 0 mounts_at /dev/gpiochip7
expect "the refused attach left no view behind" 0 mounts_at /sys/bus/gpio/devices

echo "# /dev/null as gpiochip7"
check "attach /dev/null as /dev/gpiochip7" attach-test "$CT" /dev/null /dev/gpiochip7 null
expect "the node is character device 1:3" "character special file 1:3" \
    in_ct stat -c '%F %t:%T' /dev/gpiochip7
check "the node opens for writing" in_ct sh -c 'echo x > /dev/gpiochip7'
check "the node opens for reading" in_ct cat /dev/gpiochip7
expect "v2 check: subsystem resolves to /sys/bus/gpio" /sys/bus/gpio \
    in_ct readlink -f /sys/dev/char/1:3/subsystem
expect "v1 check: /sys/bus/gpio/devices/gpiochip7/dev" 1:3 \
    in_ct cat /sys/bus/gpio/devices/gpiochip7/dev
expect_match "uevent names the node" "^DEVNAME=gpiochip7$" in_ct cat "$NULL_DIR/uevent"
expect "the real chip is still listed inside" "$REAL_DEV" \
    in_ct cat "/sys/bus/gpio/devices/$REAL/dev"
expect_match "the bus view is read-only" "Read-only file system" \
    in_ct touch /sys/bus/gpio/devices/x
expect_match "the device view is read-only" "Read-only file system" in_ct touch "$NULL_DIR/dev"
# The sysfs checks passed when libgpiod gets as far as the chip-info ioctl,
# which /dev/null answers with ENOTTY.
expect_match "libgpiod 1.6 accepts it as a gpiochip" "Inappropriate ioctl" \
    in_ct "$G1/gpioinfo" gpiochip7
expect_match "libgpiod 2 accepts it as a gpiochip" "Inappropriate ioctl" \
    in_ct "$G2/gpioinfo" -c /dev/gpiochip7

echo "# a second device in the same container: $STAND as gpiochip8"
check "attach /dev/$STAND as /dev/gpiochip8" attach-test "$CT" "/dev/$STAND" /dev/gpiochip8 "$STAND"
expect "gpiochip7 stays listed" 1:3 in_ct cat /sys/bus/gpio/devices/gpiochip7/dev
expect "gpiochip8 is listed" "$STAND_DEV" in_ct cat /sys/bus/gpio/devices/gpiochip8/dev
expect_match "libgpiod 1.6 gpioinfo gpiochip8" "4 lines" in_ct "$G1/gpioinfo" gpiochip8
expect_match "libgpiod 2 gpioinfo -c gpiochip8" "4 lines" in_ct "$G2/gpioinfo" -c gpiochip8
expect_match "a node that is another device is not covered" "something else than device" \
    attach-test "$CT" "/dev/$STAND" /dev/gpiochip7 "$STAND"
expect "and it is still /dev/null" "character special file 1:3" \
    in_ct stat -c '%F %t:%T' /dev/gpiochip7

echo "# attaching again replaces, never stacks"
check "attach gpiochip7 again" attach-test "$CT" /dev/null /dev/gpiochip7 null
check "attach gpiochip7 a third time" attach-test "$CT" /dev/null /dev/gpiochip7 null
expect "one mount at /dev/gpiochip7" 1 mounts_at /dev/gpiochip7
expect "one mount at $NULL_DIR" 1 mounts_at "$NULL_DIR"
expect "one mount at /sys/bus/gpio/devices" 1 mounts_at /sys/bus/gpio/devices
expect "gpiochip8 survives gpiochip7's re-attach" "$STAND_DEV" \
    in_ct cat /sys/bus/gpio/devices/gpiochip8/dev
expect "the real chip survives too" "$REAL_DEV" in_ct cat "/sys/bus/gpio/devices/$REAL/dev"

echo "# the host"
host_snapshot after
check "the host's /sys/bus/gpio/devices and mounts are unchanged" host_unchanged
check "the host has no /dev/gpiochip7 or gpiochip8" \
    test ! -e /dev/gpiochip7 -a ! -e /dev/gpiochip8

echo "# the device goes away and comes back (a daemon restart)"
echo 0 > "$SIM/attach-stand/live"
echo 1 > "$SIM/attach-stand/live"
STAND=$(cat "$SIM/attach-stand/bank0/chip_name")
STAND_DEV=$(cat "/sys/bus/gpio/devices/$STAND/dev")
chmod 0666 "/dev/$STAND"
check "re-attach after the restart" attach-test "$CT" "/dev/$STAND" /dev/gpiochip8 "$STAND"
expect_match "libgpiod 1.6 works again" "4 lines" in_ct "$G1/gpioinfo" gpiochip8
expect_match "libgpiod 2 works again" "4 lines" in_ct "$G2/gpioinfo" -c gpiochip8
expect "one mount at /dev/gpiochip8" 1 mounts_at /dev/gpiochip8
expect "one mount at /sys/bus/gpio/devices after the restart" 1 mounts_at /sys/bus/gpio/devices

kill "$LAUNCHER" "$CT" 2>/dev/null

echo "# util-linux unshare -U -m -p --map-root-user --propagation private"
start_ct 0 -U --map-root-user --propagation private
check "unshare container started (pid $CT)" test -n "$CT"
check "attach /dev/null as /dev/gpiochip7 there" attach-test "$CT" /dev/null /dev/gpiochip7 null
expect "its node is 1:3" "character special file 1:3" in_ct stat -c '%F %t:%T' /dev/gpiochip7
expect "its v2 view works" /sys/bus/gpio in_ct readlink -f /sys/dev/char/1:3/subsystem
expect "its v1 view works" 1:3 in_ct cat /sys/bus/gpio/devices/gpiochip7/dev
expect "the real chip is listed there" "$REAL_DEV" in_ct cat "/sys/bus/gpio/devices/$REAL/dev"
kill "$LAUNCHER" "$CT" 2>/dev/null

echo "# a container without a user namespace whose /sys is a peer of the host's"
mount --make-shared /sys
host_snapshot before
start_ct "" --propagation unchanged
check "privileged container started (pid $CT)" test -n "$CT"
sys_propagation() { awk '$5 == "/sys" { print $7 }' "/proc/$CT/mountinfo" | cut -d: -f1; }
expect "its /sys is shared with the host's" shared sys_propagation
check "attach /dev/null as /dev/gpiochip7 there" attach-test "$CT" /dev/null /dev/gpiochip7 null
expect "its /sys now only receives from the host" master sys_propagation
expect "its view works" /sys/bus/gpio in_ct readlink -f /sys/dev/char/1:3/subsystem
host_snapshot after
check "nothing propagated to the host" host_unchanged
if ! host_unchanged; then diff /tmp/host-mounts.before /tmp/host-mounts.after; fi
kill "$LAUNCHER" "$CT" 2>/dev/null
mount --make-private /sys

finish
