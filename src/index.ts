// The public API of scalelaw, by name. Each name is documented where it is defined; what is not
// listed here (optimizer internals, worker protocols, helpers, reproductions) is private and may
// change without notice. Groups follow the layers of src/ (see the README's "Layout").

// core: errors, seeded randomness, warnings, the observation table, runs, schedule specs.
export { InputError, FitError } from './core/errors.js';
export { rng, type Rng } from './core/rng.js';
export { setWarn } from './core/warn.js';
export { observations, filterObservations, type ObservationTable } from './core/observations.js';
export type { Run } from './core/run.js';
export type { ScheduleSpec } from './core/schedule-spec.js';

// io: reading and writing observations, runs and tables; the run store; W&B and TensorBoard import.
export { readObservations, type ReadObservationsOptions } from './io/read-observations.js';
export { readRuns, type ReadRunsOptions } from './io/read-runs.js';
export { readTable, type ReadTableOptions } from './io/table-file.js';
export { writeObservations, writeRuns, type WriteOptions } from './io/write.js';
export { openStore, type RunStore, type RunWriter } from './io/store.js';
export { inspect } from './io/inspect.js';
export { importWandb } from './io/import-wandb.js';
export { importTensorBoard } from './io/import-tensorboard.js';
export { importEventDir, readEventFile, type ScalarEvent } from './io/tfevents.js';
export { acquireLease, readLease, type Lease, type LeaseClaim, type LeaseInfo, type LeaseOptions, type LeaseState } from './io/lease.js';
export type { BeginOptions, Claim, ClaimOptions, RunState } from './io/store.js';
export { storeStatus, type RunStatusLine, type StoreStatus } from './io/store-status.js';

// plot: charts as Vega-Lite specs, rendered to SVG, PNG or an HTML page, or shown in a notebook.
export type { VegaLiteSpec, ChartOptions } from './plot/spec.js';
export { scalingChart } from './plot/scaling.js';
export { isoflopChart, isoflopEnvelopeChart } from './plot/isoflop.js';
export { lossCurvesChart } from './plot/losscurves.js';
export { stepsExamplesChart } from './plot/batch.js';
export { stoppingChart } from './plot/stopping.js';
export { renderSVG, renderPNG } from './plot/render.js';
export { htmlPage, type HtmlSection } from './plot/html.js';
export { display } from './plot/display.js';

// schedules: learning-rate schedules as per-step arrays.
export { lrSchedule } from './schedules/schedule.js';
export { customSchedule, scheduleFromCsv, readScheduleCsv } from './schedules/custom.js';
export { readLrStepsCsv, type LrSchedule } from './schedules/lr-steps.js';

// laws: the registry, defining a law, and the built-in laws.
export type { Law, ParamSpec, Inputs } from './laws/law.js';
export { getLaw, addLaw, listLaws } from './laws/registry.js';
export { defineLaw, type LawDefinition } from './laws/define.js';
export { powerLaw } from './laws/power.js';
export { chinchilla } from './laws/chinchilla.js';
export { kaplan } from './laws/kaplan.js';
export { multiPower, multiPowerLaw } from './laws/multipower.js';
export { momentum, momentumLaw } from './laws/momentum.js';
export { sizeAware } from './laws/size-aware.js';
export { convexBound } from './laws/convex-bound.js';
export { stepsVsBatch } from './laws/steps-vs-batch.js';
export { curveFamilies, curveFamily } from './laws/families.js';
export type { CurveInput } from './laws/curve-points.js';

// fit: fitting laws to observations and to whole loss curves, bootstrap, prediction, saved fits.
export { fitLaw, type FitData, type FitOptions } from './fit/fit.js';
export { huber, squared, type Loss } from './fit/objective.js';
export { Fit, ScalingFit, CurveFit, type FitParam, type FitRecord, type CurveFitRecord, type FitWarning } from './fit/result.js';
export { bootstrap, predictInterval, type BootstrapOptions, type PredictionInterval } from './fit/bootstrap.js';
export { loadFit, saveFit } from './fit/load.js';
export { fitCurves, type CurveFitOptions } from './fit/fit-curves.js';
export { predictCurve, type CurvePrediction } from './fit/predict-curve.js';
export { observationsFromRuns } from './fit/trajectories.js';

// extrapolation: where a partial learning curve ends, with quantiles.
export { learningCurve, type LearningCurve, type Goal } from './extrapolation/curve.js';
export { extrapolate, type ExtrapolateOptions } from './extrapolation/extrapolate.js';
export { extrapolateMany } from './extrapolation/many.js';
export type { Predictive, PointPredictive } from './extrapolation/predictive.js';
export { readCurveCsv, readCurveSet, type CurveFile, type CurveSet, type ReadCurveOptions } from './extrapolation/read-curve.js';
export { learnCorrection, type LearnedCorrection } from './extrapolation/learned.js';
export { backtestExtrapolation, type ExtrapolationBacktest } from './extrapolation/backtest.js';

// stopping: early-stopping rules and their replay over finished curves.
export type { StopRule, RunView, Decision } from './stopping/rule.js';
export { stopRule } from './stopping/by-name.js';
export { predictive } from './stopping/predictive.js';
export { patience } from './stopping/patience.js';
export { gl, pq } from './stopping/prechelt.js';
export { asha, successiveHalving } from './stopping/asha.js';
export { improvementPerCompute, overfitting } from './stopping/single-run.js';
export { replay, type ReplayOptions, type ReplayResult } from './stopping/replay.js';

// batch: gradient noise scale, steps to a target loss, critical batch size, batch and learning rate.
export { gradientNoiseScale, gnsTracker, gnsFromLog, gnsFromRuns, type GnsEstimate } from './batch/gns.js';
export { stepsToTarget } from './batch/steps-to-target.js';
export { criticalBatch, fitStepsVsBatch, zhangCriticalBatch, type CriticalBatchAnalysis } from './batch/critical-batch.js';
export { fitBcritScaling } from './batch/bcrit-scaling.js';
export { optimalBatchLr } from './batch/optimal-batch-lr.js';
export { lrSensitivity } from './batch/lr-sensitivity.js';
export { predictBatchTrajectory } from './batch/batch-trajectory.js';

// plan: compute-optimal allocation, IsoFLOP, schedule choice, backtests, the budget planner.
export { computeOptimal, computeOptimalInterval, chinchillaOptimal, lossAtBudget, type Allocation, type AllocationInterval } from './plan/optimal.js';
export { isoflop, isoflopChartData, type IsoflopOptions, type IsoflopResult, type IsoflopBucket } from './plan/isoflop.js';
export { isoflopEnvelope, isoflopEnvelopeChartData, type IsoflopEnvelopeOptions, type IsoflopEnvelopeResult } from './plan/isoflop-envelope.js';
export { fitsFromRuns, type RunFits } from './plan/from-runs.js';
export { bestSchedule, bestWsdCooldown, chooseCooldown, rankSchedules, budgetFromFit, scheduleFamilies, type Budget, type CooldownChoice } from './plan/schedule-choice.js';
export { optimizeSchedule } from './plan/optimize-schedule.js';
export { backtestCurveFit, type CurveBacktest } from './plan/curve-backtest.js';
export { backtestScaling, type ScalingBacktest } from './plan/backtest.js';
export { resolveBudget, type ComputeBudget } from './plan/budget.js';
export { plan, readFitFile, type PlanOptions, type PlanRecord } from './plan/planner.js';
export { planReport } from './plan/plan-report.js';
export { planCharts, planHtml } from './plan/report-html.js';

// proxy: small models trained with TensorFlow.js, which is loaded only when a run starts.
export { train } from './proxy/lazy.js';
export type { TrainOptions, TrainResult } from './proxy/trainer.js';
export type { TrainConfig } from './proxy/train-config.js';
export { parameterCount, trainingFlopsPerToken, type ModelConfig } from './proxy/model-config.js';
export { trainingFlopsPerTokenNonEmbedding } from './proxy/model-config.js';
export { modelLadder, ladderNames, type LadderName, type LadderOptions } from './proxy/ladders.js';
export { tokenizeToFile, tokenizers, type TokenizeOptions, type TokenFileOptions, type TextOptions, type Tokenizer } from './proxy/tokens.js';
export { createDataset, type DataSpec, type Dataset } from './proxy/dataset.js';
export { runSweep, type SweepOptions, type SweepResult } from './proxy/sweep.js';
export { expandSweep, exampleSweep, type SweepSpec } from './proxy/sweep-spec.js';
export { parseShard, shardFromEnv, type ExternalTrainerSpec, type ImportSpec } from './proxy/sweep-spec.js';
export { expandExternal, parseProgressLine, runExternal, ProtocolError, type ExternalRun, type ExternalRunOptions, type ProgressLine } from './proxy/sweep-external.js';
export { importRuns, type ImportRunsOptions } from './proxy/sweep-import.js';
export { emitK8s, emitSlurm, parseTimeLimit, type EmitOptions } from './proxy/sweep-emit.js';
export type { BackendName } from './proxy/backend-names.js';

// extrapolation: the prior-fitted network for learning curves (weights in fits/pfn-lc.json).
export { pfnPredictMany, loadPfn, type PfnQuery } from './extrapolation/pfn.js';
export { samplePrior, PFN_PRIOR, type PriorSample } from './extrapolation/pfn-prior.js';
// stopping: live decisions from inside a training loop (Optuna-pruner style).
export { stoppingStudy, shouldStop, type Study, type StudyOptions, type LiveRun } from './stopping/live.js';
// Schedules from the literature (issue 20): Defazio et al. 2023's refinement from gradient norms.
export { refineSchedule, type RefineOptions } from './schedules/refine.js';
export { refinedFamily } from './plan/schedule-choice.js';
// Tracking a run against its saved prediction (issue 20).
export { lossPrediction, readLossPrediction, plannedSchedule, type LossPrediction, type LossPredictionOptions } from './plan/track-prediction.js';
export { detectDeparture, trackRun, trackReport, type Band, type DepartureCheck, type DepartureOptions, type TrackOptions, type TrackResult } from './plan/track.js';
export { trackChart, type TrackChartData } from './plot/track.js';
// Batch-size ramps (issue 20).
export { batchRamp, rampGrid, scheduleCost, type BatchRamp, type BatchRampOptions, type RampGrid, type RampStage } from './batch/batch-ramp.js';
// Instability forecast from proxy sweeps (issue 20).
export { stabilityForecast, type SizeStability, type StabilityForecast, type StabilityOptions } from './batch/stability-forecast.js';
export { stabilityVariant, type MitigationEffect, type SeedStability, type StabilityVariant } from './batch/stability-forecast.js';
// Data-constrained scaling (Muennighoff et al. 2023): the law, and the plan under a unique-token budget.
export { dataConstrained, dataConstrainedLoss, effectiveSize, parametersForUniqueTokens, type DataConstrainedValues } from './laws/data-constrained.js';
export {
  dataConstrainedOptimum,
  dataConstrainedSummary,
  dataConstrainedReport,
  uniqueTokenOptimum,
  repetitionFromFit,
  combineRepetition,
  PUBLISHED_REPETITION,
  type DataConstrainedAllocation,
  type DataConstrainedSummary,
  type RepetitionConstants,
} from './plan/data-constrained.js';

// Downstream accuracy in two steps (Bhagia et al. 2024): compute -> task loss -> accuracy.
export { accuracySigmoid } from './laws/accuracy-sigmoid.js';
export { fitDownstream, predictDownstream, type DownstreamFit, type DownstreamOptions, type DownstreamPrediction, type TaskLossPoint, type AccuracyPoint } from './plan/downstream.js';

// Experiment design: which proxy runs narrow the target prediction most.
export { rankNextRuns, nextRunsReport, type NextRuns, type NextRunsOptions, type RankedRun, type CandidateRun } from './plan/next-runs.js';

// The planner's sensitivity table: which assumption moves the answer most.
export { planSensitivity, sensitivityReport, type Sensitivity, type SensitivityRow } from './plan/sensitivity.js';
export { stabilityFromRuns, type StabilityFromRunsOptions } from './plan/from-runs.js';

// Charts, the table reader and the report of the downstream command and the data-constrained plan (issue 18).
export { downstreamChart, stackCharts, type DownstreamChartData, type DownstreamChartOptions } from './plot/downstream.js';
export { dataConstrainedChart, type DataConstrainedChartData } from './plot/data-constrained.js';
export { writeChartFile, chartFileFormat } from './plot/chart-file.js';
export { downstreamTasks, selectTasks, type DownstreamTable, type DownstreamTableOptions, type DownstreamTaskData, type DownstreamColumns } from './plan/downstream-table.js';
export { predictTask, downstreamTarget, downstreamReport, downstreamChartData, saturationWarning, type DownstreamTaskResult, type DownstreamTarget } from './plan/downstream-report.js';
export { dataConstrainedChartData } from './plan/data-constrained-chart.js';
export { batchSensitivityRows, withBatchSensitivity } from './plan/batch-sensitivity.js';
export { sensitivitySection, dataConstrainedSection } from './plan/report-html.js';

// Pre-training at a fixed unique-data budget (Kim et al. 2025): the asymptote of the regularised
// recipe's power law in N, ensembles of K members, and the planner's comparison of recipes.
export { ensembleMembers } from './laws/ensemble-members.js';
export {
  fitParameterScaling,
  fitEnsembleScaling,
  predictAsymptoteFit,
  tokensBySize,
  compareAtFixedData,
  fixedDataReport,
  fixedDataRuns,
  type FixedDataRuns,
  type Asymptote,
  type AsymptoteFit,
  type AsymptoteFitOptions,
  type MemberScaling,
  type EnsembleScaling,
  type FixedDataCandidate,
  type FixedDataComparison,
  type FixedDataOptions,
} from './plan/infinite-compute.js';

// The fixed-data chart and the planner page's section for Kim et al. 2025's comparison (issue 18).
export { fixedDataChart, type FixedDataChartData, type FixedDataChartOptions, type FixedDataMark, type AsymptoteRule } from './plot/fixed-data.js';
export { fixedDataChartData, fixedDataChartSpec, writeFixedDataChart, type FixedDataChartInput, type FixedDataChartDataOptions } from './plan/fixed-data-chart.js';
export { fixedDataSection } from './plan/report-html.js';
