#!/bin/bash
# `make bench`: runs tests/bench/bench.sh in the VM, then writes the table
# docs/bench.md and the plot docs/bench.png (gnuplot) from its BENCH lines.
set -euo pipefail
cd "$(dirname "$0")/../.."
build=${BUILD:-build}
out=$(mktemp)
trap 'rm -f "$out"' EXIT
tests/vm/run-vm.sh --kernel custom \
    --add "$build/vgpiochip:/usr/bin/vgpiochip" --add "$build/vgc-bench:/usr/bin/vgc-bench" \
    --add "$build/vgc-floor:/usr/bin/vgc-floor" \
    --add "tests/vm/scenario-lib.sh:/opt/vgc/scenario-lib.sh" tests/bench/bench.sh | tee "$out"
grep -q "^bench done" "$out" || { echo "bench: the VM run did not finish"; exit 1; }

val() { # val NAME KEY
    grep -a "^BENCH $1 " "$out" | tr ' ' '\n' | grep "^$2=" | cut -d= -f2 | head -1
}
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (a == "" || b == "" || b == 0) print "n/a"; else printf "%.2f", a / b }'; }

mkdir -p docs
{
    echo "# Benchmark (make bench)"
    echo
    echo "Measured in the project's QEMU VM (TCG, minimal 6.12 kernel, HPET clock) on $(date -u +%Y-%m-%d)."
    echo "Absolute times under TCG mean little; the ratios are the point."
    echo "(a) the kernel's gpio-sim chardev, (b) vgpiochip over the same chip, (c) a CUSE device that does nothing."
    echo
    echo "| operation | (a) kernel median / p99 us | (b) vgpiochip median / p99 us | (c) CUSE floor median / p99 us | (b)/(c) | (b)/(a) |"
    echo "|---|---|---|---|---|---|"
    for op in set_values get_values; do
        echo "| $op | $(val kernel.$op median_us) / $(val kernel.$op p99_us) | $(val vgpiochip.$op median_us) / $(val vgpiochip.$op p99_us) | $(val floor.$op median_us) / $(val floor.$op p99_us) | $(ratio "$(val vgpiochip.$op median_us)" "$(val floor.$op median_us)") | $(ratio "$(val vgpiochip.$op median_us)" "$(val kernel.$op median_us)") |"
    done
    echo "| line request (the ioctl, injection included) | $(val kernel.request_ioctl median_us) / $(val kernel.request_ioctl p99_us) | $(val vgpiochip.request_ioctl median_us) / $(val vgpiochip.request_ioctl p99_us) | | | $(ratio "$(val vgpiochip.request_ioctl median_us)" "$(val kernel.request_ioctl median_us)") |"
    echo "| line request + close | $(val kernel.request median_us) / $(val kernel.request p99_us) | $(val vgpiochip.request median_us) / $(val vgpiochip.request p99_us) | | | $(ratio "$(val vgpiochip.request median_us)" "$(val kernel.request median_us)") |"
    echo "| edge latency, sysfs pull to read | $(val kernel.edge_latency median_us) / $(val kernel.edge_latency p99_us) | $(val vgpiochip.edge_latency median_us) / $(val vgpiochip.edge_latency p99_us) | | | $(ratio "$(val vgpiochip.edge_latency median_us)" "$(val kernel.edge_latency median_us)") |"
    echo
    echo "| edge events | highest paced rate with no loss, /s | flat out: read /s | flat out: lost |"
    echo "|---|---|---|---|"
    echo "| (a) kernel | $(val kernel.sustained events_per_s) | $(val kernel.flood events_per_s) | $(val kernel.flood lost) |"
    echo "| (b) vgpiochip | $(val vgpiochip.sustained events_per_s) | $(val vgpiochip.flood events_per_s) | $(val vgpiochip.flood lost) |"
    echo
    echo "vgpiochip daemon: RSS $(val vgpiochip.rss kib) KiB, $(val vgpiochip.idle wakeups_per_s) wakeups/s when idle."
    echo
    echo "![medians](bench.png)"
} > docs/bench.md
cat docs/bench.md

if command -v gnuplot >/dev/null; then
    data=$(mktemp)
    for op in set_values get_values; do
        echo "$op $(val kernel.$op median_us) $(val vgpiochip.$op median_us) $(val floor.$op median_us)"
    done > "$data"
    gnuplot <<GP
set terminal pngcairo size 800,450 noenhanced
set output "docs/bench.png"
set title "Value ioctls, median microseconds (QEMU TCG)"
set style data histograms
set style fill solid border -1
set boxwidth 0.9
set ylabel "us"
set key top left
plot "$data" using 2:xtic(1) title "(a) kernel chardev", "" using 3 title "(b) vgpiochip", "" using 4 title "(c) CUSE floor"
GP
    rm -f "$data"
    echo "plot: docs/bench.png"
fi
