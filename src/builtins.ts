// Registers every built-in law and reproduction. Imported by the package entry and the CLI.
// Each capability adds one import line here.
export {};
import './laws/index.js';
import './laws/curves.js';
import './batch/stepsLaw.js';
import './batch/powerLaws.js';
import './batch/kaplanLaws.js';
import './batch/zhangReproduction.js';
import './losscurve/reproductions.js';
import './fit/reproduction.js';
import './curves/families.js';
import './curves/lc-nas.js';
