// Registers the whole-curve laws (loss along a learning-rate schedule).
import { addLaw, hasLaw } from './registry.js';
import { momentum } from './momentum.js';
import { multiPower } from './multipower.js';

for (const law of [multiPower, momentum]) if (!hasLaw(law.name)) addLaw(law);
