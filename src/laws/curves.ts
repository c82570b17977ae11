// Registers the whole-curve laws (loss along a learning-rate schedule).
import { addLaw } from './registry.js';
import { momentum } from './momentum.js';
import { multiPower } from './multipower.js';
import { sizeAware } from './size-aware.js';

addLaw(multiPower);
addLaw(momentum);
addLaw(sizeAware);
