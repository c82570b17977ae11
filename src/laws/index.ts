// Registers the built-in laws of this folder. Imported once from src/builtins.ts.
import { addLaw } from './registry.js';
import { powerLaw } from './power.js';
import { chinchilla } from './chinchilla.js';
import { kaplan } from './kaplan.js';

addLaw(powerLaw('N'));
addLaw(powerLaw('D'));
addLaw(powerLaw('C'));
addLaw(chinchilla);
addLaw(kaplan);
