#!/usr/bin/env bash
# A one-node Slurm cluster on this machine, for the Slurm test (test/proxy/slurm.test.ts):
# installs Debian's slurm-wlm and munge where missing, writes a slurm.conf naming this host as the
# only node, and starts munged, slurmctld and slurmd (as root, which CI and the sessions are).
# Idempotent: does nothing when `sinfo` already answers. Stop it with: bash .ci/setup-slurm.sh stop
# (kills the three daemons by the pids recorded in $STATE/*.pid). Needs root.
set -euo pipefail
STATE=${SCALELAW_SLURM_STATE:-/var/tmp/scalelaw-slurm}
if [ "${1:-}" = stop ]; then
  for d in slurmd slurmctld munged; do
    if [ -f "$STATE/$d.pid" ]; then kill "$(cat "$STATE/$d.pid")" 2>/dev/null || true; rm -f "$STATE/$d.pid"; fi
  done
  exit 0
fi
if command -v sinfo >/dev/null && timeout 10 sinfo -h >/dev/null 2>&1; then
  echo "setup-slurm: a cluster already answers"; exit 0
fi
if [ "$(id -u)" != 0 ]; then echo "setup-slurm: needs root (apt-get and the daemons); skipped"; exit 0; fi
if ! command -v slurmctld >/dev/null || ! command -v munged >/dev/null; then
  DEBIAN_FRONTEND=noninteractive apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends slurm-wlm munge >/dev/null
fi
mkdir -p "$STATE"/{spool,state,log} /etc/slurm /etc/munge /run/munge /var/lib/munge /var/log/munge
if [ ! -s /etc/munge/munge.key ]; then head -c 1024 /dev/urandom > /etc/munge/munge.key; fi
chown -R munge:munge /etc/munge /run/munge /var/lib/munge /var/log/munge
chmod 400 /etc/munge/munge.key
chmod 700 /etc/munge /var/lib/munge /var/log/munge
chmod 755 /run/munge
HOST=$(hostname -s)
cat > /etc/slurm/slurm.conf <<CONF
# Written by scalelaw's .ci/setup-slurm.sh: a one-node test cluster.
ClusterName=scalelaw-ci
SlurmctldHost=$HOST
SlurmUser=root
SlurmdUser=root
AuthType=auth/munge
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
SelectType=select/cons_tres
SelectTypeParameters=CR_Core
JobAcctGatherType=jobacct_gather/none
AccountingStorageType=accounting_storage/none
MpiDefault=none
ReturnToService=2
StateSaveLocation=$STATE/state
SlurmdSpoolDir=$STATE/spool
SlurmctldLogFile=$STATE/log/slurmctld.log
SlurmdLogFile=$STATE/log/slurmd.log
SlurmctldPidFile=$STATE/slurmctld.pid
SlurmdPidFile=$STATE/slurmd.pid
NodeName=$HOST CPUs=$(nproc) State=UNKNOWN
PartitionName=debug Nodes=$HOST Default=YES MaxTime=INFINITE State=UP
CONF
# No cgroup.conf: Slurm 22.05 does not know CgroupPlugin=disabled and slurmd then refuses to start.
rm -f /etc/slurm/cgroup.conf
if ! pgrep -x munged >/dev/null; then
  runuser -u munge -- /usr/sbin/munged --pid-file=/run/munge/munged.pid
  cp /run/munge/munged.pid "$STATE/munged.pid"
fi
/usr/sbin/slurmctld
/usr/sbin/slurmd
for _ in $(seq 1 30); do
  if timeout 5 sinfo -h -o '%T' 2>/dev/null | grep -qE 'idle|mix|alloc'; then echo "setup-slurm: one-node cluster up ($HOST, $(nproc) CPUs)"; exit 0; fi
  sleep 1
done
echo "setup-slurm: the cluster did not come up; logs in $STATE/log" >&2
sinfo 2>&1 | head -5 >&2 || true
exit 1
