#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0-or-later
# The other process in the busy checks (python3-libgpiod 1.6):
#   hold.py CHIP LINE RELEASE_FILE   requests LINE as input, prints "held",
#                                    lets go once RELEASE_FILE exists
#   hold.py CHIP LINE                tries to request LINE: "ok" or the errno name
import errno
import os
import sys
import time

import gpiod

chip, line = sys.argv[1], int(sys.argv[2])
try:
    l = gpiod.Chip(chip).get_line(line)
    l.request(consumer="holder", type=gpiod.LINE_REQ_DIR_IN)
except OSError as e:
    print(errno.errorcode.get(e.errno, str(e.errno)), flush=True)
    sys.exit(0)
if len(sys.argv) < 4:
    print("ok", flush=True)
    sys.exit(0)
print("held", flush=True)
end = time.monotonic() + 120
while not os.path.exists(sys.argv[3]) and time.monotonic() < end:
    time.sleep(0.02)
l.release()
