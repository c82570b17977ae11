import { InputError, show } from '../core/errors.js';

/** Options of `emitSlurm` and `emitK8s`. */
export interface EmitOptions {
  /** Path of the sweep spec as the tasks will see it. */
  spec: string;
  /** Run store directory as the tasks will see it (a shared filesystem, or the mounted volume). */
  store: string;
  /** Array tasks (shards); each trains runs i, i+n, ... @default the number of runs */
  tasks: number;
  /** Job name. @default 'scalelaw-sweep' */
  name?: string;
  /** GPUs per task. @default 0 */
  gpus?: number;
  /** CPU cores per task. @default 1 */
  cpus?: number;
  /** Wall-clock limit per task, as Slurm writes it: minutes, `HH:MM:SS` or `D-HH:MM:SS`. @default none */
  time?: string;
  /** The scalelaw command as the tasks run it. @default ['scalelaw'] */
  command?: string[];
  /** Extra arguments of `scalelaw sweep` (e.g. `--workers 2`). @default none */
  args?: string[];
  /** Slurm partition. @default the cluster's default */
  partition?: string;
  /** Working directory of the tasks. @default the submit directory (Slurm), the image's (K8s) */
  cwd?: string;
  /** Container image (Kubernetes; required there). */
  image?: string;
  /** Kubernetes PersistentVolumeClaim that holds the store, mounted at the store's parent. @default none: the store path must exist in the image's filesystem */
  pvc?: string;
  /** The spec's JSON, put in a ConfigMap the Job mounts (Kubernetes). */
  specText?: string;
  /** Tasks running at once. @default all of them */
  parallelism?: number;
}

const quote = (s: string) => (/^[A-Za-z0-9_./=:@%+-]+$/.test(s) ? s : `'${s.replace(/'/g, `'\\''`)}'`);

/** Wall time in seconds from Slurm's formats (M, M:S, H:M:S, D-H, D-H:M, D-H:M:S). */
export function parseTimeLimit(text: string): number {
  const m = /^(?:(\d+)-)?(\d+)(?::(\d+))?(?::(\d+))?$/.exec(text.trim());
  if (!m) throw new InputError(`--time: expected minutes, HH:MM:SS or D-HH:MM:SS, got ${show(text)}`, 'time');
  const [d, a, b, c] = [m[1], m[2], m[3], m[4]].map((x) => (x === undefined ? undefined : Number(x)));
  if (d !== undefined) return d * 86400 + a! * 3600 + (b ?? 0) * 60 + (c ?? 0);
  if (c !== undefined) return a! * 3600 + b! * 60 + c;
  if (b !== undefined) return a! * 60 + b;
  return a! * 60;
}

function check(options: EmitOptions): Required<Pick<EmitOptions, 'name' | 'gpus' | 'cpus' | 'command' | 'args'>> {
  const { tasks, name = 'scalelaw-sweep', gpus = 0, cpus = 1, command = ['scalelaw'], args = [] } = options;
  if (!Number.isInteger(tasks) || tasks < 1) throw new InputError(`--tasks: expected a positive integer, got ${show(tasks)}`, 'tasks');
  if (!Number.isInteger(gpus) || gpus < 0) throw new InputError(`--gpus: expected an integer >= 0, got ${show(gpus)}`, 'gpus');
  if (!Number.isInteger(cpus) || cpus < 1) throw new InputError(`--cpus: expected a positive integer, got ${show(cpus)}`, 'cpus');
  if (options.time !== undefined) parseTimeLimit(options.time);
  if (options.parallelism !== undefined && !(Number.isInteger(options.parallelism) && options.parallelism >= 1)) {
    throw new InputError(`--parallelism: expected a positive integer, got ${show(options.parallelism)}`, 'parallelism');
  }
  return { name, gpus, cpus, command, args };
}

/**
 * A ready-to-submit Slurm job-array script: one array task per shard, each running `scalelaw
 * sweep` on the shared store (the task takes its shard from SLURM_ARRAY_TASK_ID and
 * SLURM_ARRAY_TASK_COUNT). Leases make a resubmitted or overlapping array safe: finished runs are
 * skipped, interrupted ones taken over.
 *
 * @example emitSlurm({ spec: '/shared/sweep.json', store: '/shared/runs', tasks: 8, gpus: 1, time: '04:00:00' })
 */
export function emitSlurm(options: EmitOptions): string {
  const { name, gpus, cpus, command, args } = check(options);
  const lines = [
    '#!/bin/bash',
    `#SBATCH --job-name=${quote(name)}`,
    `#SBATCH --array=0-${options.tasks - 1}${options.parallelism ? `%${options.parallelism}` : ''}`,
    '#SBATCH --ntasks=1',
    `#SBATCH --cpus-per-task=${cpus}`,
    ...(gpus > 0 ? [`#SBATCH --gres=gpu:${gpus}`] : []),
    ...(options.time !== undefined ? [`#SBATCH --time=${options.time}`] : []),
    ...(options.partition !== undefined ? [`#SBATCH --partition=${quote(options.partition)}`] : []),
    `#SBATCH --output=${quote(options.store)}/.slurm/%A_%a.out`,
    ...(options.cwd !== undefined ? [`#SBATCH --chdir=${quote(options.cwd)}`] : []),
    '# Written by `scalelaw sweep --emit slurm`; submit with: sbatch <this file>',
    'set -euo pipefail',
    `exec ${[...command, 'sweep', options.spec, '--store', options.store, ...args].map(quote).join(' ')} --owner "slurm job \${SLURM_ARRAY_JOB_ID}_\${SLURM_ARRAY_TASK_ID} on $(hostname)"`,
    '',
  ];
  return lines.join('\n');
}

/**
 * A Kubernetes Indexed Job (batch/v1) with one completion per shard, and the ConfigMap holding
 * the spec, as a v1 List (`kubectl apply -f`). Each pod takes its shard from JOB_COMPLETION_INDEX
 * and SCALELAW_SHARD_COUNT; the store is a PersistentVolumeClaim (ReadWriteMany) mounted at its
 * parent directory. A failed pod is retried by the Job; leases make the retry safe.
 */
export function emitK8s(options: EmitOptions): Record<string, unknown> {
  const { name, gpus, cpus, command, args } = check(options);
  if (!options.image) throw new InputError('--image: required for --emit k8s: the container image that has scalelaw (and the trainer) in it', 'image');
  if (options.specText === undefined) throw new InputError('emitK8s: specText is required (the spec goes in a ConfigMap)', 'specText');
  const k8sName = name
    .toLowerCase()
    .replace(/[^a-z0-9-]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 50);
  if (k8sName === '') throw new InputError(`--name: no letters or digits to make a Kubernetes name from: ${show(name)}`, 'name');
  const storeParent = options.store.replace(/\/+$/, '').replace(/\/[^/]*$/, '') || '/';
  const specMount = '/etc/scalelaw';
  const resources = { limits: { cpu: String(cpus), ...(gpus > 0 ? { 'nvidia.com/gpu': String(gpus) } : {}) }, requests: { cpu: String(cpus) } };
  const container: Record<string, unknown> = {
    name: 'sweep',
    image: options.image,
    command: [...command, 'sweep', `${specMount}/spec.json`, '--store', options.store, ...args],
    env: [
      { name: 'SCALELAW_SHARD_COUNT', value: String(options.tasks) },
      { name: 'POD_NAME', valueFrom: { fieldRef: { fieldPath: 'metadata.name' } } },
    ],
    resources,
    volumeMounts: [{ name: 'spec', mountPath: specMount, readOnly: true }, ...(options.pvc ? [{ name: 'store', mountPath: storeParent }] : [])],
    ...(options.cwd !== undefined ? { workingDir: options.cwd } : {}),
  };
  const job = {
    apiVersion: 'batch/v1',
    kind: 'Job',
    metadata: { name: k8sName, labels: { app: 'scalelaw-sweep' } },
    spec: {
      completionMode: 'Indexed',
      completions: options.tasks,
      parallelism: options.parallelism ?? options.tasks,
      backoffLimit: 2 * options.tasks,
      template: {
        metadata: { labels: { app: 'scalelaw-sweep', job: k8sName } },
        spec: {
          restartPolicy: 'Never',
          ...(options.time !== undefined ? { activeDeadlineSeconds: parseTimeLimit(options.time) } : {}),
          containers: [container],
          volumes: [{ name: 'spec', configMap: { name: `${k8sName}-spec` } }, ...(options.pvc ? [{ name: 'store', persistentVolumeClaim: { claimName: options.pvc } }] : [])],
        },
      },
    },
  };
  const configMap = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: `${k8sName}-spec` }, data: { 'spec.json': options.specText } };
  return { apiVersion: 'v1', kind: 'List', items: [configMap, job] };
}
