#!/bin/bash
# Fills the VM caches (custom kernel build, stock kernel, libgpiod .debs) so
# that later run-vm.sh calls only assemble an initramfs and boot.
set -euo pipefail
dir=$(dirname "$0")
"$dir/fetch-debs.sh" > /dev/null
"$dir/build-kernel.sh" > /dev/null
