#!/bin/sh
# The false-alarm rate of tcsim compare as a whole: PAIRS pairs of runs of
# the same model with different seeds (1 and 2, 3 and 4, ...), each pair
# compared over all of its metrics. Nothing changed, so every flagged pair
# is a false alarm; Holm's procedure keeps their rate at or below 5 % per
# comparison. The test asserts at most MAX_PCT % and reports the rate.
# Outputs are deterministic at fixed seeds, so the count is too.
# Usage: falsealarm.sh TCSIM MODEL.yaml PAIRS MAX_PCT
set -u
tcsim=$1
model=$2
pairs=$3
max_pct=$4
# summary.json is fsync'ed: keep hundreds of runs off the disk where we can.
if [ -d /dev/shm ] && [ -w /dev/shm ]; then
    tmp=$(mktemp -d /dev/shm/tcsim-falsealarm.XXXXXX)
else
    tmp=$(mktemp -d)
fi
trap 'rm -rf "$tmp"' EXIT
flagged=0
metrics=""
k=1
while [ "$k" -le "$pairs" ]; do
    for s in $((2 * k - 1)) $((2 * k)); do
        if ! "$tcsim" run -q -s "$s" -o "$tmp/$s" "$model"; then
            echo "not ok 1 - tcsim run -s $s $model failed"
            echo "1..1"
            exit 1
        fi
    done
    "$tcsim" compare "$tmp/$((2 * k - 1))/summary.json" "$tmp/$((2 * k))/summary.json" \
        >"$tmp/out" 2>&1
    rc=$?
    case $rc in
    0) ;;
    1)
        flagged=$((flagged + 1))
        # the most significant metric of this false alarm
        top=$(sed -n '/^metric /{n;p;q;}' "$tmp/out" | awk '{print $1}')
        echo "# seeds $((2 * k - 1)),$((2 * k)): flagged $top"
        ;;
    *)
        sed 's/^/# /' "$tmp/out"
        echo "not ok 1 - compare exited $rc on pair $k"
        echo "1..1"
        exit 1
        ;;
    esac
    [ -z "$metrics" ] && metrics=$(sed -n 's/^\([0-9]*\) metrics:.*/\1/p' "$tmp/out")
    rm -rf "${tmp:?}/$((2 * k - 1))" "${tmp:?}/$((2 * k))"
    k=$((k + 1))
done
pct=$(awk -v f="$flagged" -v n="$pairs" 'BEGIN { printf "%.1f", 100 * f / n }')
echo "# $flagged of $pairs pairs flagged ($pct %), $metrics metrics per comparison"
if [ $((flagged * 100)) -le $((max_pct * pairs)) ]; then
    echo "ok 1 - false alarms: $flagged of $pairs pairs ($pct %) <= $max_pct %"
    status=0
else
    echo "not ok 1 - false alarms: $flagged of $pairs pairs ($pct %) > $max_pct %"
    status=1
fi
if [ "${metrics:-0}" -ge 100 ]; then
    echo "ok 2 - each comparison covers $metrics metrics"
else
    echo "not ok 2 - each comparison covers ${metrics:-no} metrics, want >= 100"
    status=1
fi
echo "1..2"
exit $status
