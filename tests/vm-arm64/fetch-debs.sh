#!/bin/bash
# Fills the arm VMs' caches from Debian's archive (bookworm):
#
#   fetch-debs.sh [arm64]   prints two lines, the kernel then the root directory:
#     $VGC_CACHE/arm64-kernel-PKG/{vmlinuz,config,modules/}  Debian's arm64 kernel
#     $VGC_CACHE/arm64-root-KEY/   the guest's userland (busybox-static, util-linux,
#                                  strace, libfuse3, libinih, glibc), also the sysroot
#                                  the cross build links against (with the -dev debs)
#   fetch-debs.sh armhf     prints one line, the root directory:
#     $VGC_CACHE/armhf-root-KEY/   the libraries an armhf daemon loads and their
#                                  -dev debs: the sysroot of the armhf cross build,
#                                  and what the arm64 guest adds for a compat daemon
#                                  (its C library comes with fetch-compat.sh armhf)
# Safe to run again; no network once cached.
set -euo pipefail
# shellcheck source=tests/vm/common.sh
. "$(dirname "$0")/../vm/common.sh"

arch=${1:-arm64}
suite=bookworm
# The daemon's libraries and their -dev packages (and a few that guest
# tools such as strace's libunwind load).
daemon_pkgs=(libgcc-s1 libfuse3-3 libfuse3-dev libinih1 libinih-dev
             libseccomp2 libseccomp-dev libjson-c5 libjson-c-dev
             libcap2 liblzma5 libzstd1)
case $arch in
    # The guest's programs and every library they load (readelf NEEDED,
    # resolved by mkinitramfs.sh), and the -dev packages the cross build needs.
    arm64) pkgs=(libc6 busybox-static util-linux libselinux1 libpcre2-8-0 libcap-ng0
                 strace libunwind8 "${daemon_pkgs[@]}") ;;
    armhf) pkgs=("${daemon_pkgs[@]}") ;;
    *) vgc_die "usage: fetch-debs.sh [arm64|armhf]" ;;
esac
modules=(fuse cuse configfs)
debs=$VGC_CACHE/debs/$suite-$arch

# The module file for $1 after those it depends on, decompressed, into $3;
# appended to load.list for /init. $2 is the extracted kernel package.
add_module() {
    local name=$1 root=$2 out=$3 file dep
    grep -qx "$name.ko" "$out/load.list" 2> /dev/null && return 0
    file=$(find "$root/lib/modules" -name "$name.ko*" -print -quit)
    [ -n "$file" ] || return 0
    # modinfo reads foreign modules too: it only parses the ELF's .modinfo
    for dep in $(modinfo -F depends "$file" | tr ',' ' '); do
        add_module "$dep" "$root" "$out"
    done
    case $file in
        *.ko.xz) xz -dc "$file" > "$out/$name.ko" ;;
        *.ko.zst) zstd -q -dc "$file" > "$out/$name.ko" ;;
        *.ko) cp "$file" "$out/$name.ko" ;;
    esac
    echo "$name.ko" >> "$out/load.list"
}

# Debian's arm64 kernel, with the modules the guest loads, into $kout.
fetch_kernel() {
    local kpkg tmp
    kpkg=$(apt-cache depends "linux-image-arm64/$suite" 2> /dev/null |
           awk '!found && $1 == "Depends:" && $2 ~ /^linux-image-/ { sub(/:arm64$/, "", $2); print $2; found = 1 }')
    [ -n "$kpkg" ] || vgc_die "no linux-image-arm64 in $suite (dpkg --add-architecture arm64; apt-get update)"
    kout=$VGC_CACHE/arm64-kernel-$kpkg
    [ -f "$kout/vmlinuz" ] && return 0
    compgen -G "$debs/${kpkg}_*.deb" > /dev/null || vgc_apt_download "$debs" "$kpkg:arm64/$suite"
    tmp=$(mktemp -d "$VGC_CACHE/arm64-kernel.XXXXXX")
    dpkg-deb -x "$(ls "$debs/${kpkg}"_*.deb)" "$tmp/root"
    mkdir -p "$tmp/out/modules"
    cp "$tmp/root"/boot/vmlinuz-* "$tmp/out/vmlinuz"
    cp "$tmp/root"/boot/config-* "$tmp/out/config"
    : > "$tmp/out/modules/load.list"
    for m in "${modules[@]}"; do add_module "$m" "$tmp/root" "$tmp/out/modules"; done
    grep -qx cuse.ko "$tmp/out/modules/load.list" || grep -qx CONFIG_CUSE=y "$tmp/out/config" ||
        vgc_die "$kpkg has no CUSE"
    grep -qx CONFIG_COMPAT=y "$tmp/out/config" || vgc_die "$kpkg cannot run 32-bit arm tasks"
    rm -rf "$kout"
    mv "$tmp/out" "$kout"
    rm -rf "$tmp"
    vgc_log "arm64 kernel cached in $kout (modules: $(tr '\n' ' ' < "$kout/modules/load.list"))"
}

vgc_lock "$arch-debs"
[ "$arch" != arm64 ] || fetch_kernel

missing=()
for p in "${pkgs[@]}"; do
    compgen -G "$debs/${p}_*.deb" > /dev/null || missing+=("$p:$arch/$suite")
done
[ ${#missing[@]} = 0 ] || vgc_apt_download "$debs" "${missing[@]}"
# keyed by the exact packages and this script
key=$(vgc_key "$(cd "$debs" && ls ./*.deb)" "$0")
rout=$VGC_CACHE/$arch-root-$key
if [ ! -d "$rout" ]; then
    tmp=$(mktemp -d "$VGC_CACHE/$arch-root.XXXXXX")
    for p in "${pkgs[@]}"; do
        for deb in "$debs/${p}"_*.deb; do dpkg-deb -x "$deb" "$tmp"; done
    done
    rm -rf "$tmp/usr/share/doc" "$tmp/usr/share/man" "$tmp/usr/share/locale"
    mv "$tmp" "$rout"
fi
[ "$arch" != arm64 ] || echo "$kout"
echo "$rout"
