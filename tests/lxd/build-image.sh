#!/bin/bash
# Builds (or reuses) the Debian root filesystem of the LXD test VM:
# debootstrap bookworm (minbase) with systemd, LXD, podman and Debian's stock
# kernel, Incus from bookworm-backports beside LXD, plus a small initrd that
# can mount an ext4 root on virtio. For the third-party clients
# (tests/clients): Debian's python3-periphery, python3-libgpiod and nodejs,
# npm's onoff with its epoll addon built against Debian's nodejs, and the
# kernel's gpio-sim as a module (Debian's kernel does not build it; see
# build_clients below).
# Prints the cache directory holding rootfs.img, vmlinuz and initrd.img.
#
# Only bookworm is in the suite list on purpose: with trixie in the sources,
# unversioned lxd, incus or linux-image-amd64 would resolve to trixie. Incus
# is not in bookworm itself: it comes from bookworm-backports, named
# explicitly, in a second step (debootstrap takes one suite).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
# shellcheck source=tests/lxd/common.sh
. "$here/common.sh"

suite=bookworm
mirror=${VGC_DEBIAN_MIRROR:-http://deb.debian.org/debian}
# systemd as PID 1, the container managers, the stock kernel (CUSE is a module
# there), and what vgpiochip links to (libfuse3-3, libinih1, libseccomp2,
# libjson-c5), so that its .deb installs offline.
packages=(
    systemd-sysv udev kmod procps e2fsprogs iproute2
    linux-image-amd64 initramfs-tools zstd
    lxd lxd-client
    podman crun conmon catatonit netavark
    busybox-static xz-utils libfuse3-3 libinih1 libseccomp2 libjson-c5
    python3 python3-periphery python3-libgpiod nodejs
)
# Only for building gpio-sim.ko and onoff's addon in the image, removed again.
build_only=(make gcc g++ linux-source-6.1 node-gyp libnode-dev)
# onoff and what it needs from npm, exactly these versions (npm pack on the
# build machine; the addon is built in the image against Debian's nodejs).
npm_pkgs=(onoff@6.0.3 epoll@4.0.2 lodash.debounce@4.0.8 bindings@1.5.0
    file-uri-to-path@1.0.0 nan@2.17.0)
# Containers only: incus-base, not incus (which adds QEMU for Incus VMs).
backports=(incus-base incus-client)
image_mb=3072

key=$(vgc_key "$here/build-image.sh" "$here/guest/vgc-payload.service" \
    "$here/guest/vgc-payload" "$here/guest/build-clients" "$suite" "$mirror" \
    "${packages[*]}" "${backports[*]}" "${build_only[*]}" "${npm_pkgs[*]}" "$image_mb")
out=$VGC_CACHE/lxd-image-$key
if [ -f "$out/.done" ]; then
    echo "$out"
    exit 0
fi
vgc_lock "lxd-image"
if [ -f "$out/.done" ]; then
    echo "$out"
    exit 0
fi

for tool in debootstrap mkfs.ext4 npm; do
    command -v "$tool" > /dev/null || vgc_die "$tool is missing (apt-get install debootstrap e2fsprogs npm)"
done

# The npm tarballs, kept in the cache by version.
npm_dir=$VGC_CACHE/npm-$(vgc_key "${npm_pkgs[*]}")
if [ ! -f "$npm_dir/.done" ]; then
    rm -rf "$npm_dir" && mkdir -p "$npm_dir"
    (cd "$npm_dir" && npm pack --silent "${npm_pkgs[@]}" > /dev/null) ||
        vgc_die "npm pack ${npm_pkgs[*]} failed"
    touch "$npm_dir/.done"
fi

vgc_log "building the Debian $suite root filesystem for the LXD VM (a few minutes)"
stage=$(mktemp -d "$VGC_CACHE/lxd-stage.XXXXXX")
cleanup() {
    # a failed chroot step may leave these mounted
    for m in proc sys dev; do umount -l "$stage/root/$m" 2> /dev/null || true; done
    rm -rf "$stage"
}
trap cleanup EXIT
root=$stage/root
mkdir -p "$root"

# The initramfs config is in place before the kernel package runs its hook,
# so the initrd is built once, small: only what mounting /dev/vda needs.
mkdir -p "$root/etc/initramfs-tools/conf.d"
echo "MODULES=list" > "$root/etc/initramfs-tools/conf.d/vgc.conf"
echo "COMPRESS=zstd" >> "$root/etc/initramfs-tools/conf.d/vgc.conf"
printf '%s\n' virtio_pci virtio_blk ext4 > "$root/etc/initramfs-tools/modules"

# shellcheck disable=SC2046
debootstrap --variant=minbase --include="$(IFS=,; echo "${packages[*]}")" \
    "$suite" "$root" "$mirror" > "$stage/debootstrap.log" 2>&1 || {
    mkdir -p "$VGC_CACHE/logs"
    cat "$stage/debootstrap.log" "$root/debootstrap/debootstrap.log" > "$VGC_CACHE/logs/lxd-debootstrap.log" 2>/dev/null || true
    tail -30 "$stage/debootstrap.log" >&2
    vgc_log "full log: $VGC_CACHE/logs/lxd-debootstrap.log"
    vgc_die "debootstrap failed (log above)"
}

# Incus from bookworm-backports, the source removed again afterwards so the
# guest's apt sees bookworm only.
echo "deb $mirror $suite-backports main" > "$root/etc/apt/sources.list.d/backports.list"
for m in proc sys dev; do mount --bind "/$m" "$root/$m"; done
chroot "$root" /bin/sh -c "apt-get update -q && DEBIAN_FRONTEND=noninteractive \
    apt-get install -y -q --no-install-recommends -t $suite-backports ${backports[*]}" \
    > "$stage/backports.log" 2>&1 || {
    tail -30 "$stage/backports.log" >&2
    vgc_die "installing ${backports[*]} from $suite-backports failed (log above)"
}
rm "$root/etc/apt/sources.list.d/backports.list"

# gpio-sim.ko for the stock kernel and onoff's epoll addon, built in the image
# with what build_only installs, which is purged again (guest/build-clients).
kver=$(basename "$(ls -d "$root"/lib/modules/*)")
mkdir -p "$root/tmp/npm"
cp "$npm_dir"/*.tgz "$root/tmp/npm/"
install -m 0755 "$here/guest/build-clients" "$root/tmp/build-clients"
chroot "$root" /bin/sh -c "apt-get update -q && DEBIAN_FRONTEND=noninteractive \
    apt-get install -y -q --no-install-recommends ${build_only[*]} linux-headers-$kver &&
    /tmp/build-clients $kver /tmp/npm && DEBIAN_FRONTEND=noninteractive \
    apt-get purge -y -q --autoremove ${build_only[*]} linux-headers-$kver" \
    > "$stage/clients.log" 2>&1 || {
    mkdir -p "$VGC_CACHE/logs"
    cp "$stage/clients.log" "$VGC_CACHE/logs/lxd-build-clients.log"
    tail -30 "$stage/clients.log" >&2
    vgc_die "building gpio-sim.ko and onoff in the image failed (log above)"
}
rm -rf "$root/tmp/npm" "$root/tmp/build-clients"
for m in proc sys dev; do umount -l "$root/$m"; done

# What the guest boots with.
cat > "$root/etc/fstab" << 'EOF'
/dev/vda / ext4 rw,noatime 0 1
EOF
echo vgc-lxd > "$root/etc/hostname"
sed -i 's/^root:[^:]*:/root::/' "$root/etc/shadow"
install -m 0755 "$here/guest/vgc-payload" "$root/usr/local/sbin/vgc-payload"
install -m 0644 "$here/guest/vgc-payload.service" "$root/etc/systemd/system/vgc-payload.service"
ln -sf /etc/systemd/system/vgc-payload.service \
    "$root/etc/systemd/system/multi-user.target.wants/vgc-payload.service"
# Nothing in the guest may wait for a network or the clock: the VM is offline.
for unit in apt-daily.timer apt-daily-upgrade.timer e2scrub_all.timer fstrim.timer \
    systemd-timesyncd.service serial-getty@ttyS0.service getty@tty1.service \
    systemd-networkd-wait-online.service; do
    ln -sf /dev/null "$root/etc/systemd/system/$unit"
done
# LXD starts on its socket when the payload first calls it.
mkdir -p "$root/var/lib/vgpiochip"

kver=$(basename "$(ls -d "$root"/lib/modules/*)")
[ -f "$root/boot/initrd.img-$kver" ] || vgc_die "the kernel package made no initrd"
cp "$root/boot/vmlinuz-$kver" "$stage/vmlinuz"
cp "$root/boot/initrd.img-$kver" "$stage/initrd.img"
# The image does not need the apt lists or the downloaded .debs.
rm -rf "$root/var/cache/apt/archives/"*.deb "$root/var/lib/apt/lists/"*

truncate -s "${image_mb}M" "$stage/rootfs.img"
mkfs.ext4 -q -L vgc-root -d "$root" "$stage/rootfs.img"

mkdir -p "$out"
mv "$stage/rootfs.img" "$stage/vmlinuz" "$stage/initrd.img" "$out/"
echo "$kver" > "$out/kernel-version"
touch "$out/.done"
vgc_log "LXD VM image ready in $out (kernel $kver)"
echo "$out"
