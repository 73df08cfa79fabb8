#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0-or-later
# python3-periphery (Debian's 2.3.0; the chardev through the v1 uAPI) against
# one chip:   periphery-client.py CHIP SYNC_DIR
# The chip has 8 lines, 0 named LED, 1 named BTN, every pull down at the
# start. One verdict line per check (verdict.py), the same whether CHIP is
# the kernel's gpio-sim chip or vgpiochip's.
import sys

from periphery import GPIO, GPIOError

from verdict import ask, errname, monotonic_ns, say, setup

path = sys.argv[1]
setup(sys.argv[2])


def opens(what, want, *args, **kwargs):
    """GPIO(path, *args): "ok" (closed again) or the errno name."""
    try:
        GPIO(path, *args, **kwargs).close()
        say(what, "ok", want)
    except (GPIOError, LookupError) as e:
        say(what, errname(e), want)


# output, the line by name
led = GPIO(path, "LED", "out")
say("LED by name: line", led.line, 0)
say("LED: name from line info", led.name, "LED")
led.write(True)
say("LED write True: read", led.read(), True)
say("LED write True: the host line", ask("level 0"), "1")
led.write(False)
say("LED write False: read", led.read(), False)
say("LED write False: the host line", ask("level 0"), "0")
opens("LED opened again while held", "EBUSY", 0, "in")
led.close()
opens("LED opened once closed", "ok", 0, "in")

# input with pulls (the bias is re-requested in place)
l2 = GPIO(path, 2, "in", bias="pull_up")
say("line 2 in, pull_up: read", l2.read(), True)
say("line 2 in, pull_up: the host line", ask("level 2"), "1")
l2.bias = "pull_down"
say("line 2 in, pull_down: read", l2.read(), False)
say("line 2 in, pull_down: the host line", ask("level 2"), "0")
say("line 2: bias", l2.bias, "pull_down")
l2.close()

# busy both ways
say("line 4 held by another process", ask("hold 4"), "held")
opens("line 4 opened while held elsewhere", "EBUSY", 4, "in")
say("line 4 let go", ask("free 4"), "freed")
opens("line 4 opened once free", "ok", 4, "in")
l5 = GPIO(path, 5, "low")
say("line 5 held here: another process's request", ask("request 5"), "EBUSY")
l5.close()
say("line 5 closed: another process's request", ask("request 5"), "ok")

# bad offset and unknown name: the kernel's answer to a request for line 8
opens("line 8 of 8", "EINVAL", 8, "in")
opens("line 8 of 8 with edges", "EINVAL", 8, "in", edge="both")
opens("line named NOPE", "LookupError", "NOPE", "in")

# edge events with timestamps
btn = GPIO(path, "BTN", "in", edge="both")
say("BTN both edges: no event yet", btn.poll(0.001), False)
t0 = monotonic_ns()
stamps = []
for req, want in (("pull-up 1", "rising"), ("pull-down 1", "falling")):
    ask(req)
    if not btn.poll(10):
        say("BTN event after %s" % req, "none in 10 s", want)
        continue
    ev = btn.read_event()
    say("BTN event after %s" % req, ev.edge, want)
    stamps.append(ev.timestamp)
t1 = monotonic_ns()
say("BTN event timestamps: CLOCK_MONOTONIC, in order, between request and now",
    len(stamps) == 2 and t0 <= stamps[0] <= stamps[1] <= t1, True)
say("BTN no further event", btn.poll(0.001), False)
btn.close()
print("done", flush=True)
