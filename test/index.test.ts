import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';
import * as api from '../src/index.js';

const INDEX = fileURLToPath(new URL('../src/index.ts', import.meta.url));

// What a user reaches for (README, notebooks); a name dropped from here is a breaking change.
const expected = [
  // core
  'InputError',
  'FitError',
  'rng',
  'setWarn',
  'observations',
  'filterObservations',
  // io
  'readObservations',
  'readRuns',
  'readTable',
  'writeObservations',
  'writeRuns',
  'openStore',
  'inspect',
  'importWandb',
  'importTensorBoard',
  // plot
  'scalingChart',
  'isoflopChart',
  'isoflopEnvelopeChart',
  'lossCurvesChart',
  'stepsExamplesChart',
  'stoppingChart',
  'renderSVG',
  'renderPNG',
  'htmlPage',
  'display',
  // schedules
  'lrSchedule',
  'customSchedule',
  'scheduleFromCsv',
  'readScheduleCsv',
  'readLrStepsCsv',
  // laws
  'getLaw',
  'addLaw',
  'listLaws',
  'defineLaw',
  'powerLaw',
  'chinchilla',
  'kaplan',
  'multiPower',
  'momentum',
  'sizeAware',
  'convexBound',
  'stepsVsBatch',
  'curveFamilies',
  'curveFamily',
  // fit
  'fitLaw',
  'huber',
  'squared',
  'ScalingFit',
  'CurveFit',
  'bootstrap',
  'predictInterval',
  'loadFit',
  'saveFit',
  'fitCurves',
  'predictCurve',
  'observationsFromRuns',
  // extrapolation
  'learningCurve',
  'extrapolate',
  'extrapolateMany',
  'readCurveCsv',
  'readCurveSet',
  'learnCorrection',
  'backtestExtrapolation',
  // stopping
  'stopRule',
  'predictive',
  'patience',
  'gl',
  'pq',
  'asha',
  'successiveHalving',
  'improvementPerCompute',
  'overfitting',
  'replay',
  'stoppingStudy',
  'shouldStop',
  'pfnPredictMany',
  // batch
  'gradientNoiseScale',
  'gnsTracker',
  'gnsFromLog',
  'gnsFromRuns',
  'stepsToTarget',
  'criticalBatch',
  'fitStepsVsBatch',
  'zhangCriticalBatch',
  'fitBcritScaling',
  'optimalBatchLr',
  'lrSensitivity',
  'predictBatchTrajectory',
  // plan
  'computeOptimal',
  'computeOptimalInterval',
  'chinchillaOptimal',
  'lossAtBudget',
  'isoflop',
  'isoflopChartData',
  'isoflopEnvelope',
  'fitsFromRuns',
  'bestSchedule',
  'bestWsdCooldown',
  'chooseCooldown',
  'rankSchedules',
  'budgetFromFit',
  'optimizeSchedule',
  'backtestCurveFit',
  'backtestScaling',
  'plan',
  'planReport',
  'planCharts',
  'planHtml',
  // proxy
  'train',
  'parameterCount',
  'trainingFlopsPerToken',
  'createDataset',
  'runSweep',
  'expandSweep',
  'exampleSweep',
];

// Types a user writes down: options and results of the main verbs, laws, runs, configs.
const expectedTypes = [
  'ObservationTable',
  'Run',
  'ScheduleSpec',
  'Law',
  'ParamSpec',
  'FitData',
  'FitOptions',
  'FitParam',
  'BootstrapOptions',
  'CurveFitOptions',
  'CurveInput',
  'LearningCurve',
  'ExtrapolateOptions',
  'Predictive',
  'StopRule',
  'ReplayOptions',
  'IsoflopOptions',
  'IsoflopResult',
  'PlanOptions',
  'PlanRecord',
  'TrainConfig',
  'ModelConfig',
  'DataSpec',
  'SweepSpec',
  'VegaLiteSpec',
];

// Optimizer internals, worker protocols, generic helpers and reproductions stay private.
const internal = [
  'Lbfgsb',
  'MoreThuente',
  'lbfgsb',
  'sampleGradient',
  'ensembleSampler',
  'startGrid',
  'objective',
  'runStarts',
  'problemFromRequest',
  'encodeStatuses',
  'fitResamples',
  'startWorker',
  'show',
  'any',
  'all',
  'median',
  'quantile',
  'warn',
  'resetWarnings',
  'writeFileAtomic',
  'escapeHtml',
  'normalCdf',
  'spearman',
  'reproduceMpl',
  'getReproduction',
  'listReproductions',
  'mplCurve',
];

describe('the package entry', () => {
  it('exports what a user needs', () => {
    expect(expected.filter((name) => !(name in api))).toEqual([]);
  });

  it('exports no internals', () => {
    expect(internal.filter((name) => name in api)).toEqual([]);
  });

  it('lists its exports by name (no export *), so the API can be read in one file', () => {
    const text = readFileSync(INDEX, 'utf8');
    expect(text.split('\n').filter((line) => /^\s*export\s*\*/.test(line))).toEqual([]);
  });

  // Building a type-checker program over src/ takes seconds: once, for the two checks that need it.
  let program: ts.Program | undefined;
  const exportedSymbols = () => {
    program ??= ts.createProgram([INDEX], {
      module: ts.ModuleKind.NodeNext,
      moduleResolution: ts.ModuleResolutionKind.NodeNext,
      target: ts.ScriptTarget.ES2022,
      strict: true,
      skipLibCheck: true,
      noEmit: true,
      types: [],
    });
    const checker = program.getTypeChecker();
    return { checker, exports: checker.getExportsOfModule(checker.getSymbolAtLocation(program.getSourceFile(INDEX)!)!) };
  };

  it('exports the types a user writes down', () => {
    const names = new Set(exportedSymbols().exports.map((symbol) => symbol.name));
    expect(expectedTypes.filter((name) => !names.has(name))).toEqual([]);
  }, 60_000);

  it('documents every exported name where it is defined', () => {
    const { checker, exports } = exportedSymbols();
    const undocumented = exports
      .map((symbol) => (symbol.flags & ts.SymbolFlags.Alias ? checker.getAliasedSymbol(symbol) : symbol))
      .filter((symbol) => ts.displayPartsToString(symbol.getDocumentationComment(checker)).trim() === '')
      .map((symbol) => {
        const file = symbol.declarations?.[0]?.getSourceFile().fileName ?? '?';
        return `${symbol.name} (${file.slice(file.indexOf('/src/') + 1)})`;
      });
    expect(undocumented).toEqual([]);
  }, 60_000);
});
