// Registers the whole-curve laws (loss along a learning-rate schedule).
import { addLaw } from './registry.js';
import { momentum, momentumWarmup } from './momentum.js';
import { multiPower, multiPowerNoWarmup } from './multipower.js';
import { sizeAware } from './size-aware.js';

addLaw(multiPower);
addLaw(multiPowerNoWarmup);
addLaw(momentum);
addLaw(momentumWarmup);
addLaw(sizeAware);
