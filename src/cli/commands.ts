import type { Command } from 'commander';
import { register as reproduce } from './reproduce.js';
import { register as inspect } from './inspect.js';
import { register as train } from './train.js';
import { register as sweep } from './sweep.js';
import { register as plan } from './plan.js';
import { register as demo } from './demo.js';
import { register as batch } from './batch.js';
import { register as curve } from './curve.js';
import { register as fit } from './fit.js';
import { register as predict } from './predict.js';
import { register as optimal } from './optimal.js';
import { register as extrapolate } from './extrapolate.js';
import { register as stop } from './stop.js';
import { register as isoflop } from './isoflop.js';
import { register as backtest } from './backtest.js';
import { register as track } from './track.js';
import { register as downstream } from './downstream.js';

/** Every command, one file each. Add a command by adding its register function here. */
export const commands: ((program: Command) => void)[] = [reproduce, inspect, train, sweep, plan, batch, curve, fit, predict, optimal, extrapolate, stop, backtest, isoflop, demo, track, downstream];
