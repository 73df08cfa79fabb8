#!/bin/bash
# The real-container suite: a debootstrapped Debian bookworm VM (systemd,
# stock kernel, LXD 5.0, Incus 6.0 from bookworm-backports, podman 4.3)
# running tests/lxd/scenario.sh, booted twice from the same disk: the
# scenario reboots the VM halfway to check what comes back on its own.
# Run as root, no stdin needed; installs what it needs from Debian's archive.
# Counts the scenario's ok/not ok lines (tests/tally.sh), ends with its own
# end line and "N passed, N failed", and exits 0 only if all passed.
#
# Environment: VGC_CACHE (default /var/tmp/vgpiochip-cache), VGC_LXD_TIMEOUT
# (default 3600 s, for both boots), VGC_VM_SMP (default 2), VGC_LXD_LOG
# (default $VGC_CACHE/logs/lxd-vm.log).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/../.." && pwd)
# shellcheck source=tests/lxd/common.sh
. "$here/common.sh"
# shellcheck source=tests/tally.sh
. "$repo/tests/tally.sh"
started=$SECONDS
# A set-up step failed: one failing check, and the end line.
summary_fail() { vgc_log "$1"; echo "not ok - $1"; tally_fail=1; tally_end lxd; exit 1; }

[ "$(id -u)" = 0 ] || summary_fail "run me as root (debootstrap, mkfs.ext4 -d of a root filesystem)"

# Packages: also listed for tests/deps.sh.
need=()
command -v debootstrap > /dev/null || need+=(debootstrap)
command -v qemu-system-x86_64 > /dev/null || need+=(qemu-system-x86)
command -v qemu-img > /dev/null || need+=(qemu-utils)
command -v mkfs.ext4 > /dev/null || need+=(e2fsprogs)
command -v dpkg-buildpackage > /dev/null || need+=(dpkg-dev)
command -v dh > /dev/null || need+=(debhelper)
# npm pack fetches onoff for the image (tests/lxd/build-image.sh)
command -v npm > /dev/null || need+=(npm)
if [ ${#need[@]} -gt 0 ]; then
    vgc_log "installing ${need[*]}"
    DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends "${need[@]}" > /dev/null
fi

# The guest installs vgpiochip as a user would: the package of make deb.
(cd "$repo" && dpkg-checkbuilddeps 2> /dev/null) || {
    vgc_log "installing the package's build dependencies"
    DEBIAN_FRONTEND=noninteractive apt-get build-dep -y -q "$repo" > /dev/null
}
vgc_deb() {
    make -C "$repo" -s deb > "$VGC_CACHE/logs/lxd-make-deb.log" 2>&1 &&
        ls -t "$repo"/build-deb/vgpiochip_*_"$(dpkg --print-architecture)".deb | head -n 1
}
mkdir -p "$VGC_CACHE/logs"
deb=$(vgc_deb) || summary_fail "make deb failed ($VGC_CACHE/logs/lxd-make-deb.log)"
vgc_log "$(basename "$deb") built after $((SECONDS - started)) s"

# The libgpiod .debs (1.6.3 from bookworm, 2.x from bookworm-backports).
"$repo/tests/vm/fetch-debs.sh" --no-stock > /dev/null || summary_fail "cannot fetch the gpiod .debs"
image=$("$here/build-image.sh") || summary_fail "cannot build the VM image"
vgc_log "image ready after $((SECONDS - started)) s"

work=$(mktemp -d "${TMPDIR:-/tmp}/vgc-lxd.XXXXXX")
trap 'rm -rf "$work"' EXIT
pay=$work/payload
mkdir -p "$pay/debs" "$pay/pkg"
# the guest runs run.sh; the scenario keeps its name for its end line
install -m 0755 "$here/scenario.sh" "$pay/scenario.sh"
printf '#!/bin/sh\nexec /bin/sh /vgc/scenario.sh "$@"\n' > "$pay/run.sh"
install -m 0644 "$repo/tests/vm/scenario-lib.sh" "$pay/scenario-lib.sh"
# the third-party clients (tests/lxd/clients.sh), and the sysfs tutorial
# script with its poll helper, built here for the guest's glibc (Debian 12's)
install -m 0644 "$here/clients.sh" "$pay/clients.sh"
mkdir -p "$pay/clients"
install -m 0755 "$repo"/tests/clients/*.py "$repo/tests/vm/sysfs-tutorial.sh" "$pay/clients/"
install -m 0644 "$repo/tests/clients/onoff-client.js" "$pay/clients/"
# the tutorial's shell and tools: busybox (busybox-static in the VM, copied
# into the container's root)
mkdir -p "$pay/clients/bb"
for t in sh cat ls; do ln -s /bin/busybox "$pay/clients/bb/$t"; done
gcc -O2 -Wall -o "$pay/clients/vgc-sysfs-poll" "$repo/tests/vm/vgc-sysfs-poll.c" ||
    summary_fail "cannot build vgc-sysfs-poll"
cp "$deb" "$pay/pkg/"
# the walkthrough the scenario follows, command by command
install -m 0644 "$repo/contrib/lxd/README.md" "$pay/lxd-README.md"
for d in "$VGC_CACHE"/debs/bookworm/{gpiod,libgpiod2}_*.deb \
    "$VGC_CACHE"/debs/bookworm-backports/{gpiod,libgpiod3}_*.deb; do
    cp "$d" "$pay/debs/"
done
truncate -s 64M "$work/payload.img"
mkfs.ext4 -q -L vgc-payload -d "$pay" "$work/payload.img"
# Every run starts from the cached image: writes go to a throw-away overlay.
qemu-img create -q -f qcow2 -b "$image/rootfs.img" -F raw "$work/root.qcow2"

# VGC_LXD_LOG: another place for the console log (two runs at once)
log=${VGC_LXD_LOG:-$VGC_CACHE/logs/lxd-vm.log}
mkdir -p "$(dirname "$log")"
: > "$log"
timeout=${VGC_LXD_TIMEOUT:-3600}
deadline=$((SECONDS + timeout))
# Two boots of the same disk: the scenario's first half ends with
# "systemctl reboot" (VGC-LXD-REBOOT on the console), which makes QEMU
# (-no-reboot) exit; the second boot checks what came back by itself.
for boot_no in 1 2; do
    left=$((deadline - SECONDS))
    [ "$left" -gt 0 ] || break
    vgc_log "boot $boot_no of the LXD VM (${left}s left of ${timeout}s, console log $log)"
    boot=$SECONDS
    {
        timeout --foreground -k 10 "$left" \
            qemu-system-x86_64 -accel tcg -cpu max -m 4G -smp "${VGC_VM_SMP:-2}" \
            -nodefaults -no-user-config -display none -monitor none -serial stdio -no-reboot \
            -kernel "$image/vmlinuz" -initrd "$image/initrd.img" \
            -append "console=ttyS0 root=/dev/vda rw panic=-1 clocksource=hpet loglevel=4 systemd.show_status=0" \
            -drive file="$work/root.qcow2",if=virtio,format=qcow2 \
            -drive file="$work/payload.img",if=virtio,format=raw,readonly=on < /dev/null || true
    } | sed -u 's/\r$//' | tee -a "$log"
    vgc_log "boot $boot_no ran $((SECONDS - boot)) s; $((SECONDS - started)) s in all"
    # only a first boot that asked for the reboot gets a second one
    grep -aq 'VGC-LXD-REBOOT' "$log" && ! grep -aq 'VGC-LXD-EXIT=' "$log" || break
done

rc=$(grep -aoE 'VGC-LXD-EXIT=[0-9]+' "$log" | tail -n 1 | cut -d= -f2) || rc=
[ -n "$rc" ] || vgc_log "the VM did not say how the scenario ended (console log: $log)"
tally_count scenario.sh "$log" "${rc:-1}"
tally_end lxd
