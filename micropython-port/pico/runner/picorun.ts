// picorun: boot a MicroPython UF2 in rp2040js and talk to its REPL.
//
//   picorun.ts run   --image fw.uf2 [--console uart|usb] script.py   run a script, print its output
//   picorun.ts serve --image fw.uf2 [--console uart|usb]              the console on stdin/stdout
//
// `run` enters the raw REPL, sends the script, prints what it prints (stdout, then any
// traceback) and stops; the exit status is 1 if the script raised.  `serve` is a serial line for
// MicroPython's own tools: run-tests.py -t exec:"picorun.ts serve ...".  Both stop by themselves:
// --max-seconds bounds the virtual time (default 600 s, `run`), --timeout the host time.
//
// A script talks to the runner by printing lines that start with "@pico " (the runner acts on
// them and does not pass them on; all times are in cycles of the 125 MHz clock):
//   @pico mark NAME                       remember the counters at this moment
//   @pico report NAME A B                 print RESULT NAME_<counter> lines for marks A..B
//   @pico pulse PIN COUNT PERIOD [WIDTH]  drive COUNT rising edges into PIN, one per PERIOD
//                                         (plus a pseudo-random offset of up to PERIOD/4, so that
//                                         edges do not lock to the firmware's own periods)
//   @pico press PIN DELAY WIDTH           one edge DELAY after now, high for WIDTH (a button)
//   @pico latency NAME IN OUT             for each edge driven into IN (since the last latency
//                                         report on IN), the cycles until the next change of
//                                         output pin OUT: RESULT NAME_p50/p99/max
//   @pico timeline PIN...                 print every change of these pins, in ms of virtual time
// RESULT lines are printed where the command line would have been.

import { Board, Counters, diff, modelWarnings } from './board.ts';
import { readFileSync, writeFileSync } from 'fs';

type Args = { [k: string]: string | boolean } & { _: string[] };

function parseArgs(argv: string[]): Args {
  const args: Args = { _: [] } as any;
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a.startsWith('--')) {
      const k = a.slice(2);
      if (i + 1 < argv.length && !argv[i + 1].startsWith('--')) args[k] = argv[++i];
      else args[k] = true;
    } else args._.push(a);
  }
  return args;
}

const MS = 125_000; // cycles per ms

class Session {
  private marks = new Map<string, Counters>();
  private edges = new Map<number, number[]>();
  private rand = 12345;
  private line = '';
  /** Filtered console output, for the raw REPL protocol. */
  text = '';
  out: (s: string) => void;

  constructor(
    readonly board: Board,
    out: (s: string) => void,
  ) {
    this.out = out;
    board.onOutput = (b) => this.byte(b);
    const traceFile = process.env.PICORUN_TRACE;
    if (traceFile) {
      // One line per instruction: its address and cycles, in hex and decimal.
      board.onTrace = (t) => {
        const lines: string[] = [];
        for (let i = 0; i < t.length; i += 2) lines.push(`${t[i].toString(16)} ${t[i + 1]}`);
        writeFileSync(traceFile, lines.join('\n') + '\n');
      };
    }
  }

  // Hold back a line while it may still become an "@pico " command; pass the rest on at once.
  private byte(b: number) {
    const c = String.fromCharCode(b);
    this.line += c;
    if (c === '\n') {
      const line = this.line;
      this.line = '';
      if (line.startsWith('@pico ')) {
        this.command(line.slice(6).trim());
        return;
      }
      this.emit(line);
    } else if (!'@pico '.startsWith(this.line) && !this.line.startsWith('@pico ')) {
      this.emit(this.line);
      this.line = '';
    }
  }

  private emit(s: string) {
    this.text += s;
    this.out(s);
  }

  private result(name: string, value: number | string) {
    this.emit(`RESULT ${name} ${value}\r\n`);
  }

  private nextRand(): number {
    this.rand = (this.rand * 1103515245 + 12345) & 0x7fffffff;
    return this.rand;
  }

  private command(cmd: string) {
    const [op, ...rest] = cmd.split(/\s+/);
    const num = rest.map(Number);
    const board = this.board;
    switch (op) {
      case 'mark':
        this.marks.set(rest[0], board.snapshot());
        break;
      case 'report': {
        const [name, a, b] = rest;
        const ca = this.marks.get(a);
        const cb = this.marks.get(b);
        if (!ca || !cb) {
          this.emit(`@pico: no mark ${ca ? b : a}\r\n`);
          break;
        }
        const d = diff(ca, cb);
        this.result(`${name}_cycles`, d.cycles);
        this.result(`${name}_busy`, d.busy);
        this.result(`${name}_asleep`, d.asleep);
        this.result(`${name}_wfe`, d.wfe);
        this.result(`${name}_wfi`, d.wfi);
        this.result(`${name}_wakeups`, d.wakeups);
        this.result(`${name}_irqs`, d.irqs);
        this.result(`${name}_asleep_permille`, d.cycles ? Math.floor((1000 * d.asleep) / d.cycles) : 0);
        this.result(
          `${name}_irq_by_exception`,
          Object.entries(d.byIrq)
            .map(([k, v]) => `${k}:${v}`)
            .join(',') || '-',
        );
        break;
      }
      case 'pulse':
      case 'press': {
        const pin = num[0];
        let count: number, period: number, width: number, first: number;
        if (op === 'pulse') {
          [count, period] = [num[1], num[2]];
          width = num[3] || Math.floor(period / 2);
          first = board.cycle + period;
        } else {
          [count, period, width] = [1, 0, num[2]];
          first = board.cycle + num[1];
        }
        const list = this.edges.get(pin) ?? [];
        this.edges.set(pin, list);
        for (let i = 0; i < count; i++) {
          const t = first + i * period + (op === 'pulse' ? this.nextRand() % Math.max(1, period >> 2) : 0);
          list.push(t);
          // PICORUN_TRACE=FILE: trace the middle edge's response (board.trace) into FILE.
          const traced = op === 'pulse' && i === count >> 1 && process.env.PICORUN_TRACE;
          board.at(t, () => {
            if (traced) board.trace = [];
            board.setInput(pin, true);
          });
          board.at(t + width, () => board.setInput(pin, false));
        }
        break;
      }
      case 'latency': {
        const [name] = rest;
        const [inPin, outPin] = [num[1], num[2]];
        // The edges driven so far, since the last latency report on this pin (each report
        // measures its own run; later edges stay for the next one).
        const all = this.edges.get(inPin) ?? [];
        const edges = all.filter((t) => t <= board.cycle);
        this.edges.set(inPin, all.filter((t) => t > board.cycle));
        const outs = board.pinEvents.filter((e) => e.pin === outPin).map((e) => e.cycle);
        const lat: number[] = [];
        let missed = 0;
        let j = 0;
        for (let i = 0; i < edges.length; i++) {
          const next = i + 1 < edges.length ? edges[i + 1] : Infinity;
          while (j < outs.length && outs[j] < edges[i]) j++;
          if (j < outs.length && outs[j] < next) lat.push(outs[j] - edges[i]);
          else missed++;
        }
        lat.sort((x, y) => x - y);
        const pct = (p: number) => (lat.length ? lat[Math.min(lat.length - 1, Math.floor((p * lat.length) / 100))] : -1);
        this.result(`${name}_n`, lat.length);
        this.result(`${name}_missed`, missed);
        this.result(`${name}_min`, lat.length ? lat[0] : -1);
        this.result(`${name}_p50`, pct(50));
        this.result(`${name}_p99`, pct(99));
        this.result(`${name}_max`, lat.length ? lat[lat.length - 1] : -1);
        break;
      }
      case 'timeline': {
        const pins = new Set(num);
        const edgesIn = [...this.edges.entries()]
          .filter(([p]) => pins.has(p))
          .flatMap(([p, ts]) => ts.filter((t) => t <= board.cycle).map((t) => ({ cycle: t, pin: p, high: true, input: true })));
        const evs = board.pinEvents
          .filter((e) => pins.has(e.pin))
          .map((e) => ({ ...e, input: false }))
          .concat(edgesIn)
          .sort((a, b) => a.cycle - b.cycle);
        for (const e of evs) {
          const what = e.input ? 'pressed (driven by the runner)' : e.high ? 'on' : 'off';
          this.emit(`${(e.cycle / MS).toFixed(3).padStart(10)} ms  GP${e.pin} ${what}\r\n`);
        }
        break;
      }
      default:
        this.emit(`@pico: unknown command ${cmd}\r\n`);
    }
  }
}

function fail(msg: string): never {
  process.stderr.write(`picorun: ${msg}\n`);
  process.exit(2);
}

async function main() {
  const args = parseArgs(process.argv.slice(2));
  const mode = args._[0];
  const kit = (args.rp2040js as string) || process.env.PICO_RP2040JS || fail('--rp2040js DIR (the unpacked kit) is needed');
  const image = (args.image as string) || fail('--image FIRMWARE.uf2 is needed');
  const consoleKind = ((args.console as string) || 'uart') as 'uart' | 'usb';
  const wallMs = Number(args.timeout ?? 300) * 1000;
  const board = await Board.load(kit, image, consoleKind);
  const t0 = Date.now();

  if (mode === 'serve') {
    const session = new Session(board, (s) => process.stdout.write(Buffer.from(s, 'latin1')));
    process.stdin.on('data', (chunk: Buffer) => board.send(new Uint8Array(chunk)));
    process.stdin.on('end', () => process.exit(0));
    const step = () => {
      if (Date.now() - t0 > wallMs) fail('timeout');
      const why = board.run(50 * MS, 50);
      // Asleep with nothing scheduled: wait for the host (stdin) instead of spinning.
      setTimeout(step, why === 'asleep' ? 2 : 0);
    };
    step();
    return;
  }
  if (mode !== 'run') fail('mode must be run or serve');
  const script = readFileSync(args._[1] || fail('script file needed'));
  const maxCycles = Number(args['max-seconds'] ?? 600) * 125e6;
  const session = new Session(board, args.quiet ? () => {} : () => {});
  const deadline = board.cycle + maxCycles;

  // Run until the filtered console output contains `marker` (after `from`).
  let from = 0;
  const expect = (marker: string, what: string): string => {
    for (;;) {
      const at = session.text.indexOf(marker, from);
      if (at >= 0) {
        const got = session.text.slice(from, at);
        from = at + marker.length;
        return got;
      }
      const left = deadline - board.cycle;
      const why = board.run(Math.min(left, 10 * MS), wallMs - (Date.now() - t0), () => session.text.indexOf(marker, from) >= 0);
      if (why === 'done' || why === 'cycles') {
        if (board.cycle >= deadline) fail(`${what}: virtual time limit reached; output: ${JSON.stringify(session.text.slice(-300))}`);
        continue;
      }
      if (why === 'wall') fail(`${what}: host timeout; output: ${JSON.stringify(session.text.slice(-300))}`);
      if (why === 'asleep' && board.rxIdle)
        fail(`${what}: the core sleeps with nothing to wake it; output: ${JSON.stringify(session.text.slice(-300))}`);
    }
  };

  // Ctrl-C twice stops anything running; Ctrl-A enters the raw REPL.
  board.send('\r\x03\x03\x01');
  expect('raw REPL; CTRL-B to exit\r\n>', 'entering the raw REPL');
  board.send(script);
  board.send('\x04');
  expect('OK', 'sending the script');
  // From here the script's output goes to our stdout as it comes.
  let shown = from;
  session.out = () => {
    const end = session.text.indexOf('\x04', shown);
    const upto = end >= 0 ? end : session.text.length;
    if (upto > shown) process.stdout.write(Buffer.from(session.text.slice(shown, upto).replace(/\r\n/g, '\n'), 'latin1'));
    shown = upto;
  };
  expect('\x04', 'running the script');
  const err = expect('\x04', 'reading the error output');
  if (err) process.stdout.write(err.replace(/\r\n/g, '\n'));
  if (args.stats) {
    const c = board.counters;
    process.stdout.write(
      `picorun: ${c.cycles} cycles (${(c.cycles / 125e6).toFixed(3)} s virtual), ${c.busy} busy, ${c.asleep} asleep, ` +
        `${c.wfe} WFE, ${c.wfi} WFI, ${c.wakeups} wake-ups, ${c.irqs} exceptions; host ${(Date.now() - t0) / 1000} s\n`,
    );
    for (const [w, n] of modelWarnings) process.stdout.write(`picorun: model warning x${n}: ${w}\n`);
  }
  process.exit(err ? 1 : 0);
}

main().catch((e) => fail(String(e?.stack ?? e)));
