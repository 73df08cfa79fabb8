#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# Prints the path of a qemu-system-x86_64 whose vhost-user-gpio device offers
# the guest interrupts. QEMU before 9.0 (Debian 12 has 7.2) never sets
# VIRTIO_GPIO_F_IRQ in the PCI device's features, so a guest's gpiomon gets
# ENODEV; bookworm-backports has QEMU 10. Its packages are unpacked into the
# cache, not installed, so the machine's own QEMU (the other VM stages') stays
# as it is; only missing shared libraries are installed, from Debian.
# Run it with -L "$dir/usr/share/qemu" (printed on the second line).
set -euo pipefail
# shellcheck source=tests/vm/common.sh
. "$(dirname "$0")/../vm/common.sh"

release=bookworm-backports
pkgs=(qemu-system-x86 qemu-system-data qemu-system-common)
version=$(apt-cache madison qemu-system-x86 2>/dev/null |
          awk -F'|' -v r="$release/" 'index($3, r) { gsub(/ /, "", $2); print $2; exit }')
[ -n "$version" ] || vgc_die "no qemu-system-x86 in $release (run tests/deps.sh for the apt sources)"
dir=$VGC_CACHE/qemu-${version//[^A-Za-z0-9.+-]/_}
vgc_lock qemu
if [ ! -x "$dir/usr/bin/qemu-system-x86_64" ]; then
    vgc_log "unpacking QEMU $version from $release into $dir"
    rm -rf "$dir.tmp"
    vgc_apt_download "$dir.tmp/debs" "${pkgs[@]/%//$release}"
    for deb in "$dir.tmp"/debs/*.deb; do dpkg -x "$deb" "$dir.tmp"; done
    rm -rf "$dir.tmp/debs"
    mv "$dir.tmp" "$dir"
fi
# the libraries it links: install the Debian packages of any that are missing
if ldd "$dir/usr/bin/qemu-system-x86_64" | grep -q "not found"; then
    deps=$(apt-cache depends "qemu-system-x86=$version" | awk '/Depends:/ { print $2 }' |
           grep -vE '^(qemu-|seabios|ipxe-qemu|<)' || true)
    vgc_log "installing the libraries QEMU $version needs: $deps"
    # shellcheck disable=SC2086
    DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends $deps >&2
fi
echo "$dir/usr/bin/qemu-system-x86_64"
echo "$dir/usr/share/qemu"
