#!/bin/bash
# Fills the cache with what comes from Debian's archive rather than from the
# host: the stock kernel (vmlinuz plus the modules the tests load) and both
# libgpiod tool sets. Prints the stock kernel's cache directory on stdout
# (unless --no-stock); safe to run again, no network needed once cached.
set -euo pipefail
# shellcheck source=tests/vm/common.sh
. "$(dirname "$0")/common.sh"

# The stock kernel's suite: bookworm (6.1) by default, bookworm-backports (6.12)
# to try the newer one.
stock_suite=${VGC_STOCK_SUITE:-bookworm}
# Modules the VM needs on the stock kernel, in addition to their dependencies.
stock_modules=(fuse cuse configfs)

debs=$VGC_CACHE/debs

# Extracts one libgpiod generation into $VGC_CACHE/gpiodN/{bin,lib}. The .debs
# are kept per suite so a rerun finds them without asking apt.
fetch_gpiod() {
    local n=$1 suite=$2 lib=$3 deb tmp
    local dir=$debs/$suite out=$VGC_CACHE/gpiod$n
    if ! compgen -G "$dir/gpiod_*.deb" > /dev/null || ! compgen -G "$dir/${lib}_*.deb" > /dev/null; then
        vgc_log "downloading gpiod and $lib from $suite"
        vgc_apt_download "$dir" "gpiod/$suite" "$lib/$suite"
    fi
    local stamp
    stamp=$(cd "$dir" && ls gpiod_*.deb "${lib}"_*.deb)
    [ -f "$out/.stamp" ] && [ "$(cat "$out/.stamp")" = "$stamp" ] && return 0

    tmp=$(mktemp -d "$VGC_CACHE/gpiod$n.XXXXXX")
    for deb in "$dir"/gpiod_*.deb "$dir/${lib}"_*.deb; do
        dpkg-deb -x "$deb" "$tmp/root"
    done
    mkdir -p "$tmp/out/bin" "$tmp/out/lib"
    cp -a "$tmp/root/usr/bin/." "$tmp/out/bin/"
    # Only the C library: the C++ bindings would drag libstdc++ in for nothing.
    cp -a "$tmp/root/usr/lib/x86_64-linux-gnu"/libgpiod.so.* "$tmp/out/lib/"
    printf '%s\n' "$stamp" > "$tmp/out/.stamp"
    rm -rf "$out"
    mv "$tmp/out" "$out"
    rm -rf "$tmp"
}

# Writes the module file for $1 (decompressed: busybox insmod may not read
# .ko.xz/.ko.zst) into $3, after the modules it depends on, and appends it to
# load.list so /init can insmod them in order. $2 is the extracted package.
stock_add_module() {
    local name=$1 root=$2 out=$3 file dep
    grep -qx "$name.ko" "$out/load.list" 2> /dev/null && return 0
    file=$(find "$root/lib/modules" -name "$name.ko*" -print -quit)
    # Built into this kernel (or absent): nothing to load.
    [ -n "$file" ] || return 0
    for dep in $(modinfo -F depends "$file" | tr ',' ' '); do
        stock_add_module "$dep" "$root" "$out"
    done
    case $file in
        *.ko.xz) xz -dc "$file" > "$out/$name.ko" ;;
        *.ko.zst) zstd -q -dc "$file" > "$out/$name.ko" ;;
        *.ko) cp "$file" "$out/$name.ko" ;;
        *) vgc_die "unknown module format: $file" ;;
    esac
    echo "$name.ko" >> "$out/load.list"
}

# The package linux-image-amd64 points to in $stock_suite (awk reads to the
# end: an early exit would SIGPIPE apt-cache and trip pipefail). apt-cache answers
# from the local lists, so this needs no network on a rerun.
stock_package() {
    apt-cache depends "linux-image-amd64/$stock_suite" 2> /dev/null |
        awk '!found && $1 == "Depends:" && $2 ~ /^linux-image-/ { print $2; found = 1 }'
}

fetch_stock() {
    local pkg out tmp
    pkg=$(stock_package)
    [ -n "$pkg" ] || vgc_die "no linux-image-amd64 in $stock_suite (apt-get update?)"
    out=$VGC_CACHE/stock-$pkg
    if [ -f "$out/vmlinuz" ]; then
        echo "$out"
        return 0
    fi

    vgc_log "downloading stock kernel $pkg from $stock_suite"
    vgc_apt_download "$debs/$stock_suite" "$pkg/$stock_suite"
    tmp=$(mktemp -d "$VGC_CACHE/stock.XXXXXX")
    dpkg-deb -x "$(ls "$debs/$stock_suite/${pkg}"_*.deb)" "$tmp/root"
    mkdir -p "$tmp/out/modules"
    cp "$tmp/root"/boot/vmlinuz-* "$tmp/out/vmlinuz"
    cp "$tmp/root"/boot/config-* "$tmp/out/config"
    : > "$tmp/out/modules/load.list"
    local m
    for m in "${stock_modules[@]}"; do
        stock_add_module "$m" "$tmp/root" "$tmp/out/modules"
    done
    grep -qx cuse.ko "$tmp/out/modules/load.list" || grep -qx 'CONFIG_CUSE=y' "$tmp/out/config" ||
        vgc_die "$pkg has no CUSE"
    rm -rf "$out"
    mv "$tmp/out" "$out"
    rm -rf "$tmp"
    vgc_log "stock kernel cached in $out (modules: $(tr '\n' ' ' < "$out/modules/load.list"))"
    echo "$out"
}

vgc_lock debs
fetch_gpiod 1 bookworm libgpiod2
fetch_gpiod 2 bookworm-backports libgpiod3
if [ "${1:-}" != --no-stock ]; then
    fetch_stock
fi
