#!/bin/bash
# Packs the libgpiod 1.6.3 and 2.x tools of a Debian architecture (the
# 32-bit ones for compat scenarios; arm64 for the arm64 image itself),
# with that architecture's C library and loader, into a tar that a VM
# scenario unpacks over its root. Prints the tar's path.
#
#   fetch-compat.sh i386|armhf
#
# A tar and not an --add tree: the x86 harness runs the host's ldd on every
# ELF it adds, and the host's i386 loader would go looking for libgpiod.
#
# In the guest: /opt/gpiod1-ARCH/bin, /opt/gpiod2-ARCH/bin, the libraries in
# /usr/lib/TRIPLET (the foreign loader searches its multiarch directory by
# default, no ld.so.cache needed) and the loader at its ELF interpreter path.
set -euo pipefail
# shellcheck source=tests/vm/common.sh
. "$(dirname "$0")/../vm/common.sh"

arch=${1:-}
case $arch in
    i386) triplet=i386-linux-gnu ld=ld-linux.so.2 ;;
    armhf) triplet=arm-linux-gnueabihf ld=ld-linux-armhf.so.3 ;;
    arm64) triplet=aarch64-linux-gnu ld=ld-linux-aarch64.so.1 ;;
    *) vgc_die "usage: fetch-compat.sh i386|armhf|arm64" ;;
esac

vgc_lock "compat-$arch"
bw=$VGC_CACHE/debs/gpiod-bookworm-$arch
bp=$VGC_CACHE/debs/gpiod-bookworm-backports-$arch
compgen -G "$bw/gpiod_*.deb" > /dev/null || vgc_apt_download "$bw" "gpiod:$arch/bookworm" "libgpiod2:$arch/bookworm" "libc6:$arch/bookworm"
compgen -G "$bp/gpiod_*.deb" > /dev/null || vgc_apt_download "$bp" "gpiod:$arch/bookworm-backports" "libgpiod3:$arch/bookworm-backports"

# keyed by the exact packages and this script
key=$(vgc_key "$(cd "$bw" && ls ./*.deb)" "$(cd "$bp" && ls ./*.deb)" "$0")
out=$VGC_CACHE/compat-$arch-$key.tar
if [ -f "$out" ]; then
    echo "$out"
    exit 0
fi

tmp=$(mktemp -d "$VGC_CACHE/compat-$arch.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
for n in 1 2; do
    dir=$bw; [ $n = 2 ] && dir=$bp
    mkdir -p "$tmp/x$n"
    for deb in "$dir"/*.deb; do dpkg-deb -x "$deb" "$tmp/x$n"; done
done
root=$tmp/root
mkdir -p "$root/usr/lib/$triplet" "$root/opt"
# the C library: bookworm's libc6 ships it in /lib/TRIPLET; the guest has merged /usr
cp -a "$tmp/x1/lib/$triplet/." "$root/usr/lib/$triplet/"
rm -rf "$root/usr/lib/$triplet/gconv"
ln -s "$triplet/$ld" "$root/usr/lib/$ld"
for n in 1 2; do
    mkdir -p "$root/opt/gpiod$n-$arch"
    cp -a "$tmp/x$n/usr/bin" "$root/opt/gpiod$n-$arch/bin"
    cp -a "$tmp/x$n/usr/lib/$triplet"/libgpiod.so.* "$root/usr/lib/$triplet/"
done
[ -e "$root/usr/lib/$triplet/$ld" ] || vgc_die "no $ld in libc6:$arch"
tar -C "$root" -cf "$out.tmp" .
mv "$out.tmp" "$out"
vgc_log "$arch tools packed in $out"
echo "$out"
