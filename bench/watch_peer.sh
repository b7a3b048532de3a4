#!/bin/bash
# Log a long-running peer process's CPU seconds (user + system), RSS and peak RSS
# (VmHWM) once a minute, so a run that cannot finish within a session still
# leaves a measured lower bound. Used for the D2I validator at 1M children:
#
#   bench/watch_peer.sh PID LOGFILE &
#   .venv/bin/python bench/cin_vs_d2i.py --sizes 1000000 --no-peer \
#       --peer-progress 1000000=LOGFILE
pid=$1; out=$2; tck=$(getconf CLK_TCK)
while kill -0 "$pid" 2>/dev/null; do
  read -r -a st < "/proc/$pid/stat"
  cpu=$(( (${st[13]} + ${st[14]}) / tck ))
  hwm=$(awk '/VmHWM/{print $2}' "/proc/$pid/status")
  rss=$(awk '/VmRSS/{print $2}' "/proc/$pid/status")
  echo "$(date +%s) $(date +%T) cpu_s=$cpu rss_kib=$rss hwm_kib=$hwm load=$(cut -d' ' -f1 /proc/loadavg)" >> "$out"
  sleep 60
done
echo "$(date +%s) $(date +%T) ended" >> "$out"
