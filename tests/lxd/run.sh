#!/bin/bash
# The real-container suite: one VM boot of a debootstrapped Debian bookworm
# (systemd, stock kernel, LXD 5.0, podman 4.3) running tests/lxd/scenario.sh.
# Run as root, no stdin needed; installs what it needs from Debian's archive.
# Prints "N passed, N failed" last and exits 0 only if all passed.
#
# Environment: VGC_CACHE (default /var/tmp/vgpiochip-cache), VGC_LXD_TIMEOUT
# (default 2400 s), VGC_VM_SMP (default 2).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/../.." && pwd)
# shellcheck source=tests/lxd/common.sh
. "$here/common.sh"
started=$SECONDS
summary() { echo "$1 passed, $2 failed"; exit $(($2 == 0 ? 0 : 1)); }

[ "$(id -u)" = 0 ] || { vgc_log "run me as root (debootstrap, mkfs.ext4 -d of a root filesystem)"; summary 0 1; }

# Packages: also listed for tests/deps.sh.
need=()
command -v debootstrap > /dev/null || need+=(debootstrap)
command -v qemu-system-x86_64 > /dev/null || need+=(qemu-system-x86)
command -v qemu-img > /dev/null || need+=(qemu-utils)
command -v mkfs.ext4 > /dev/null || need+=(e2fsprogs)
if [ ${#need[@]} -gt 0 ]; then
    vgc_log "installing ${need[*]}"
    DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends "${need[@]}" > /dev/null
fi

vgc_bin() {
    make -C "$repo" -s build/vgpiochip >&2 && echo "$repo/build/vgpiochip"
}
bin=$(vgc_bin) || { vgc_log "cannot build vgpiochip"; summary 0 1; }

# The libgpiod .debs (1.6.3 from bookworm, 2.x from bookworm-backports).
"$repo/tests/vm/fetch-debs.sh" --no-stock > /dev/null || { vgc_log "cannot fetch the gpiod .debs"; summary 0 1; }
image=$("$here/build-image.sh") || { vgc_log "cannot build the VM image"; summary 0 1; }
vgc_log "image ready after $((SECONDS - started)) s"

work=$(mktemp -d "${TMPDIR:-/tmp}/vgc-lxd.XXXXXX")
trap 'rm -rf "$work"' EXIT
pay=$work/payload
mkdir -p "$pay/bin" "$pay/debs"
install -m 0755 "$here/scenario.sh" "$pay/run.sh"
install -m 0644 "$repo/tests/vm/scenario-lib.sh" "$pay/scenario-lib.sh"
install -m 0755 "$bin" "$pay/bin/vgpiochip"
install -m 0755 "$repo/contrib/lxd/vgpiochip-lxd" "$pay/bin/vgpiochip-lxd"
install -m 0644 "$repo/contrib/systemd/vgpiochip@.service" "$pay/vgpiochip@.service"
for d in "$VGC_CACHE"/debs/bookworm/{gpiod,libgpiod2}_*.deb \
    "$VGC_CACHE"/debs/bookworm-backports/{gpiod,libgpiod3}_*.deb; do
    cp "$d" "$pay/debs/"
done
truncate -s 64M "$work/payload.img"
mkfs.ext4 -q -L vgc-payload -d "$pay" "$work/payload.img"
# Every run starts from the cached image: writes go to a throw-away overlay.
qemu-img create -q -f qcow2 -b "$image/rootfs.img" -F raw "$work/root.qcow2"

log=$VGC_CACHE/logs/lxd-vm.log
mkdir -p "$(dirname "$log")"
timeout=${VGC_LXD_TIMEOUT:-2400}
vgc_log "booting the LXD VM (timeout ${timeout}s, console log $log)"
boot=$SECONDS
{
    timeout --foreground -k 10 "$timeout" \
        qemu-system-x86_64 -accel tcg -cpu max -m 4G -smp "${VGC_VM_SMP:-2}" \
        -nodefaults -no-user-config -display none -monitor none -serial stdio -no-reboot \
        -kernel "$image/vmlinuz" -initrd "$image/initrd.img" \
        -append "console=ttyS0 root=/dev/vda rw panic=-1 clocksource=hpet loglevel=4 systemd.show_status=0" \
        -drive file="$work/root.qcow2",if=virtio,format=qcow2 \
        -drive file="$work/payload.img",if=virtio,format=raw,readonly=on < /dev/null || true
} | sed -u 's/\r$//' | tee "$log"
vgc_log "VM ran $((SECONDS - boot)) s; $((SECONDS - started)) s in all"

line=$(grep -aE '^[0-9]+ passed, [0-9]+ failed$' "$log" | tail -n 1) || line=
rc=$(grep -aoE 'VGC-LXD-EXIT=[0-9]+' "$log" | tail -n 1 | cut -d= -f2) || rc=
if [ -z "$line" ] || [ -z "$rc" ]; then
    vgc_log "the scenario did not finish (console log: $log)"
    # shellcheck disable=SC2086 # "N passed, N failed" as words
    if [ -n "$line" ]; then set -- $line; summary "$1" $(($3 + 1)); fi
    summary 0 1
fi
# shellcheck disable=SC2086
set -- $line
summary "$1" "$3"
