// SPDX-License-Identifier: GPL-2.0-or-later
// Node's onoff (npm, with its epoll addon) against one /sys/class/gpio:
//   node onoff-client.js BASE SYNC_DIR
// BASE is the number of line 0 of an 8-line chip; every pull is down at the
// start. One verdict line per check, "WHAT: OUTCOME" with
// " (UNEXPECTED, want W)" when it is not what the kernel's sysfs does; the
// same whether /sys/class/gpio is the kernel's or vgpiochip's. Questions to
// the driver (tests/lxd/clients.sh) as in verdict.py.
'use strict';
const fs = require('fs');
const path = require('path');
const { Gpio } = require('onoff');

const base = Number(process.argv[2]);
const sync = process.argv[3];
let seq = 0;

const say = (what, got, want) => {
  let line = `${what}: ${got}`;
  if (want !== undefined && String(got) !== String(want)) line += ` (UNEXPECTED, want ${want})`;
  console.log(line);
};
const delay = ms => new Promise(resolve => setTimeout(resolve, ms));

// the driver's answer, waited for (the event loop keeps running meanwhile)
async function ask(request) {
  const id = `onoff-client-${++seq}`;
  console.log(`ASK ${id} ${request}`);
  const file = path.join(sync, id);
  for (const end = Date.now() + 30000; Date.now() < end; await delay(20)) {
    if (fs.existsSync(file)) return fs.readFileSync(file, 'utf8').trim();
  }
  return 'no answer';
}

// new Gpio(...): the object, or the error code
const open = (...args) => {
  try {
    return new Gpio(...args);
  } catch (e) {
    return e.code || e.message;
  }
};
const outcome = g => (typeof g === 'string' ? g : 'ok');

async function main() {
  say('accessible', Gpio.accessible, true);

  // output
  const led = new Gpio(base, 'out');
  say('gpio+0 out: direction', led.direction(), 'out');
  led.writeSync(1);
  say('gpio+0 writeSync 1: readSync', led.readSync(), 1);
  say('gpio+0 writeSync 1: the host line', await ask('level 0'), '1');
  await led.write(0);
  say('gpio+0 write 0: read', await led.read(), 0);
  say('gpio+0 write 0: the host line', await ask('level 0'), '0');
  led.unexport();
  say('gpio+0 unexported', fs.existsSync(`/sys/class/gpio/gpio${base}`), false);

  // input, pulled from the host side
  const inp = new Gpio(base + 2, 'in');
  say('gpio+2 in: direction', inp.direction(), 'in');
  await ask('pull-up 2');
  say('gpio+2 in, pulled up: readSync', inp.readSync(), 1);
  await ask('pull-down 2');
  say('gpio+2 in, pulled down: readSync', inp.readSync(), 0);
  inp.unexport();

  // a real edge watch with a callback
  const btn = new Gpio(base + 1, 'in', 'both');
  say('gpio+1 edge', btn.edge(), 'both');
  const seen = [];
  let wake = null;
  btn.watch((err, value) => {
    seen.push(err ? err.code : value);
    if (wake) wake();
  });
  for (const [req, want] of [['pull-up 1', 1], ['pull-down 1', 0]]) {
    const n = seen.length;
    await ask(req);
    if (seen.length === n) {
      await Promise.race([new Promise(resolve => { wake = resolve; }), delay(10000)]);
      wake = null;
    }
    say(`gpio+1 watch callback after ${req}`, seen.length > n ? seen[n] : 'none in 10 s', want);
  }
  say('gpio+1 callbacks in all', seen.join(' '), '1 0');
  btn.unwatchAll();
  btn.unexport();

  // busy both ways: a chardev request holds the line; an export holds it
  say('gpio+4 held through the chardev', await ask('hold 4'), 'held');
  const held = open(base + 4, 'in');
  say('gpio+4 exported while held', outcome(held), 'EBUSY');
  if (typeof held !== 'string') held.unexport();
  say('gpio+4 let go', await ask('free 4'), 'freed');
  const free = open(base + 4, 'in');
  say('gpio+4 exported once free', outcome(free), 'ok');
  if (typeof free !== 'string') free.unexport();
  const g5 = new Gpio(base + 5, 'out');
  say('gpio+5 exported: a chardev request', await ask('request 5'), 'EBUSY');
  g5.unexport();
  say('gpio+5 unexported: a chardev request', await ask('request 5'), 'ok');

  // a number past the chip
  const bad = open(base + 8, 'in');
  say('gpio+8 (past the chip) exported', outcome(bad), 'EINVAL');
  if (typeof bad !== 'string') bad.unexport();
  console.log('done');
}

main().catch(e => { console.log(`error: ${e.code || ''} ${e.message}`); process.exitCode = 1; });
