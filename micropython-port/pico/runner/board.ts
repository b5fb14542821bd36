// An emulated Raspberry Pi Pico (rp2040js) that our runner steps itself, so that it can count
// exactly what the firmware did: cycles executed, cycles asleep in WFE/WFI, sleep entries,
// wake-ups and interrupts taken, and timestamp every console byte and GPIO output change in
// cycles.  Host inputs (console bytes, GPIO edges) are scheduled on the emulator's own virtual
// clock, so they happen at exact cycle times and runs repeat exactly.
//
// rp2040js is a build dependency (the kit's archive unpacked under build/); this file imports it
// at run time from the directory given to Board.load().

import { readFileSync } from 'fs';
import { pathToFileURL } from 'url';

export const CYCLE_NS = 8; // 125 MHz, the clock rp2040js emulates
const CYCLES_PER_MS = 1_000_000 / CYCLE_NS;
const UARTFR = 0x18;
const UARTFR_RXFE = 1 << 4;
const WFE = 0xbf20;
const WFI = 0xbf30;

export interface Counters {
  cycles: number; // virtual time, in cycles
  busy: number; // cycles spent executing instructions
  asleep: number; // cycles spent in WFE/WFI
  wfe: number; // WFE instructions that put the core to sleep
  wfi: number; // WFI instructions (each sleeps)
  wakeups: number; // sleeps ended (by an interrupt or an event)
  irqs: number; // exceptions taken (interrupts, SysTick, PendSV, faults)
  byIrq: { [n: string]: number }; // exceptions taken, by exception number
}

export interface PinEvent {
  cycle: number;
  pin: number;
  high: boolean;
}

type Kit = {
  RP2040: any;
  USBCDC: any;
  SimulationClock: any;
  bootromB1: Uint32Array;
  ConsoleLogger: any;
  LogLevel: any;
};

async function loadKit(dir: string): Promise<Kit> {
  const imp = (p: string) => import(pathToFileURL(`${dir}/${p}`).href);
  const [index, clock, bootrom] = await Promise.all([
    imp('src/index.ts'),
    imp('src/clock/simulation-clock.ts'),
    imp('demo/bootrom.ts'),
  ]);
  return {
    RP2040: index.RP2040,
    USBCDC: index.USBCDC,
    ConsoleLogger: index.ConsoleLogger,
    LogLevel: index.LogLevel,
    SimulationClock: clock.SimulationClock,
    bootromB1: bootrom.bootromB1,
  };
}

export type Console = 'uart' | 'usb';

// rp2040js reports accesses to what it does not model (e.g. the inter-core FIFO, which the
// single-core model lacks) with console.warn; count them instead of flooding the console.
export const modelWarnings = new Map<string, number>();
console.warn = (...args: unknown[]) => {
  const key = String(args[0]).replace(/, value=.*/, '');
  modelWarnings.set(key, (modelWarnings.get(key) ?? 0) + 1);
};

export class Board {
  readonly mcu: any;
  readonly clock: any;
  readonly counters: Counters = {
    cycles: 0,
    busy: 0,
    asleep: 0,
    wfe: 0,
    wfi: 0,
    wakeups: 0,
    irqs: 0,
    byIrq: {},
  };
  readonly pinEvents: PinEvent[] = [];
  /**
   * While not null: the address and cycles of every instruction executed (pairs), until the
   * next change of an output pin, which hands the trace to onTrace (a profiling aid: see
   * `@pico pulse` with PICORUN_TRACE in picorun.ts).
   */
  trace: number[] | null = null;
  onTrace: (trace: number[]) => void = () => {};
  /** Console bytes from the firmware, with the cycle each was written at. */
  onOutput: (byte: number, cycle: number) => void = () => {};
  private rxQueue: number[] = [];
  private rxPending = false;
  private usb: any = null;
  private usbReady = false;
  private stopRequested = false;
  /** Cycles one console byte takes on the wire (115200 baud, 8N1). */
  byteCycles = Math.round(1e9 / 11520 / CYCLE_NS);

  static async load(kitDir: string, image: string, console: Console): Promise<Board> {
    return new Board(await loadKit(kitDir), image, console);
  }

  private constructor(
    kit: Kit,
    image: string,
    readonly console: Console,
  ) {
    this.clock = new kit.SimulationClock();
    const mcu = new kit.RP2040(this.clock);
    this.mcu = mcu;
    const logger = new kit.ConsoleLogger(kit.LogLevel.Error);
    mcu.logger = logger;
    mcu.loadBootrom(kit.bootromB1);
    loadUF2(image, mcu);

    // The model's SEV does nothing but log 'SEV'; on the chip it sets the event register of
    // every core, its own included, so that a WFE after it returns at once (the pico-sdk's and
    // eventio's wake-ups rely on that).  This instance's logger sets the register when the core
    // logs its SEV (the model's files are not changed).
    mcu.logger = {
      debug: (c: string, m: string) => logger.debug(c, m),
      warn: (c: string, m: string) => logger.warn(c, m),
      error: (c: string, m: string) => logger.error(c, m),
      info: (c: string, m: string) => {
        if (m === 'SEV' && c === 'CortexM0Core') mcu.core.eventRegistered = true;
        else logger.info(c, m);
      },
    };

    // Count exceptions taken: wrap this core instance's entry (the model itself is unchanged).
    const core = mcu.core;
    const entry = core.exceptionEntry.bind(core);
    core.exceptionEntry = (n: number) => {
      this.counters.irqs++;
      this.counters.byIrq[n] = (this.counters.byIrq[n] ?? 0) + 1;
      entry(n);
    };

    for (const pin of mcu.gpio) {
      pin.addListener(() => {
        const high = pin.outputEnable && pin.outputValue;
        const last = this.lastOut[pin.index];
        if (high !== last) {
          this.lastOut[pin.index] = high;
          this.pinEvents.push({ cycle: this.cycle, pin: pin.index, high });
          if (this.trace && pin.outputEnable) {
            const t = this.trace;
            this.trace = null;
            this.onTrace(t);
          }
        }
      });
    }

    if (console === 'uart') {
      const uart = mcu.uart[0];
      // rp2040js sends a written byte at once and does not model the TX FIFO; but its
      // checkInterrupts() sets the TX interrupt on every call ("TODO ... a proper FIFO for TX"),
      // so an ICR write that clears it is undone at once.  MicroPython's UART REPL unmasks every
      // UART interrupt (mp_uart_init: imsc = UART_UARTIMSC_BITS) and its handler only clears
      // them and reads RX, so the core re-enters that handler forever (every ~23 cycles) and
      // never prints its banner.  On a real PL011 the TX interrupt fires when the TX FIFO level
      // passes down through its trigger level; a FIFO that is emptied as soon as it is written,
      // as the model's is, never does.  So for this instance the interrupt line follows the
      // raised and unmasked status bits only, which the model already keeps (RX, and whatever
      // the firmware sets); the model's files are not changed.
      uart.checkInterrupts = function (this: any) {
        this.rp2040.setInterrupt(this.irq, !!(this.interruptStatus & this.interruptMask));
      };
      uart.onByte = (b: number) => this.onOutput(b, this.cycle);
    } else {
      const cdc = new kit.USBCDC(mcu.usbCtrl);
      cdc.onDeviceConnected = () => {
        this.usbReady = true;
        this.pumpRx();
      };
      cdc.onSerialData = (data: Uint8Array) => {
        for (const b of data) this.onOutput(b, this.cycle);
      };
      this.usb = cdc;
    }
    core.PC = 0x10000000;
  }

  private lastOut: boolean[] = new Array(30).fill(false);

  get cycle(): number {
    return Math.round(this.clock.nanos / CYCLE_NS);
  }

  /** Run `fn` at virtual time `cycle` (now if that has passed). */
  at(cycle: number, fn: () => void) {
    const delta = Math.max(0, cycle - this.cycle) * CYCLE_NS;
    this.clock.createAlarm(fn).schedule(delta);
  }

  /** Drive GPIO `pin` from outside (a button, a signal generator). */
  setInput(pin: number, high: boolean) {
    this.mcu.gpio[pin].setInputValue(high);
  }

  /** Send bytes to the firmware's console, paced like a real 115200-baud line. */
  send(data: Uint8Array | string) {
    const bytes = typeof data === 'string' ? Buffer.from(data, 'latin1') : data;
    for (const b of bytes) this.rxQueue.push(b);
    this.pumpRx();
  }

  private pumpRx() {
    if (this.rxPending || this.rxQueue.length === 0) return;
    if (this.console === 'usb') {
      if (!this.usbReady) return;
      // The CDC model queues bytes (up to its 512-byte FIFO, dropping the rest silently) and
      // hands them to the USB endpoint as the firmware asks: fill it, and come back 1 ms of
      // virtual time later for the rest.
      const fifo = this.usb.txFIFO;
      while (this.rxQueue.length && !fifo.full) this.usb.sendSerialByte(this.rxQueue.shift());
      if (this.rxQueue.length) {
        this.rxPending = true;
        this.at(this.cycle + CYCLES_PER_MS, () => {
          this.rxPending = false;
          this.pumpRx();
        });
      }
      return;
    }
    // One byte on the wire at a time: the next one arrives a byte-time later, and only once
    // the firmware has emptied the receive FIFO (so none is dropped by the model's FIFO).
    this.rxPending = true;
    this.at(this.cycle + this.byteCycles, () => {
      this.rxPending = false;
      const uart = this.mcu.uart[0];
      if (uart.readUint32(UARTFR) & UARTFR_RXFE) {
        uart.feedByte(this.rxQueue.shift());
      }
      this.pumpRx();
    });
  }

  get rxIdle() {
    return this.rxQueue.length === 0 && !this.rxPending;
  }

  stop() {
    this.stopRequested = true;
  }

  /**
   * Run until `done()` is true, stop() is called, `maxCycles` of virtual time have passed, or
   * `wallMs` of host time.  Returns why it stopped: 'done', 'stopped', 'cycles', 'wall', or
   * 'asleep' (the core sleeps with nothing scheduled that could wake it: no timer alarm, no
   * host input).
   */
  run(maxCycles: number, wallMs: number, done: () => boolean = () => false): string {
    const { mcu, clock, counters } = this;
    const core = mcu.core;
    const endCycle = this.cycle + maxCycles;
    const wallEnd = Date.now() + wallMs;
    this.stopRequested = false;
    for (;;) {
      for (let i = 0; i < 20000; i++) {
        if (core.waiting) {
          const nanos = clock.nanosToNextAlarm;
          if (nanos <= 0) {
            if (done()) return 'done';
            return 'asleep';
          }
          clock.tick(nanos);
          const c = Math.round(nanos / CYCLE_NS);
          counters.asleep += c;
          counters.cycles += c;
          if (!core.waiting) counters.wakeups++;
        } else {
          const pc = core.PC & ~1;
          const cycles = core.executeInstruction();
          if (this.trace) this.trace.push(pc, cycles);
          clock.tick(cycles * CYCLE_NS);
          counters.busy += cycles;
          counters.cycles += cycles;
          if (core.waiting) {
            // Just went to sleep: which instruction did it?
            const op = mcu.readUint16(pc);
            if (op === WFE) counters.wfe++;
            else if (op === WFI) counters.wfi++;
            // An interrupt that arrived during this instruction ends the sleep at once.
            if (core.interruptsUpdated && core.checkForInterrupts()) {
              core.waiting = false;
              counters.wakeups++;
            }
          }
        }
        if (this.stopRequested) return 'stopped';
      }
      if (done()) return 'done';
      if (this.cycle >= endCycle) return 'cycles';
      if (Date.now() > wallEnd) return 'wall';
    }
  }

  snapshot(): Counters {
    return { ...this.counters, byIrq: { ...this.counters.byIrq } };
  }
}

export function diff(a: Counters, b: Counters): Counters {
  const byIrq: { [n: string]: number } = {};
  for (const k of Object.keys(b.byIrq)) {
    const d = b.byIrq[k] - (a.byIrq[k] ?? 0);
    if (d) byIrq[k] = d;
  }
  return {
    cycles: b.cycles - a.cycles,
    busy: b.busy - a.busy,
    asleep: b.asleep - a.asleep,
    wfe: b.wfe - a.wfe,
    wfi: b.wfi - a.wfi,
    wakeups: b.wakeups - a.wakeups,
    irqs: b.irqs - a.irqs,
    byIrq,
  };
}

// UF2: 512-byte blocks, each with its flash address (offset 12) and payload size (offset 16)
// and up to 476 bytes of payload from offset 32, between magic numbers.
function loadUF2(image: string, mcu: any) {
  const data = readFileSync(image);
  const view = new DataView(data.buffer, data.byteOffset, data.byteLength);
  for (let off = 0; off + 512 <= data.length; off += 512) {
    if (view.getUint32(off, true) !== 0x0a324655 || view.getUint32(off + 4, true) !== 0x9e5d5157) {
      throw new Error(`${image}: not a UF2 file (block at ${off})`);
    }
    const addr = view.getUint32(off + 12, true);
    const size = view.getUint32(off + 16, true);
    mcu.flash.set(data.subarray(off + 32, off + 32 + size), addr - 0x10000000);
  }
}
