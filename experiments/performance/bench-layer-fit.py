#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0-only
#
# Fit of the layer benchmark (experiments/performance/bench-layer.sh): least squares on logs,
#   log y = log a + b log N + c log T   for y = user CPU s, wall s, peak RSS MB and events,
# one fit per connection mode; prints a Markdown table of the runs and the fits.
# Usage: /usr/bin/python3 experiments/performance/bench-layer-fit.py \
#            experiments/performance/results/layer-bench.csv
import csv
import sys

import numpy as np


def main():
    rows = list(csv.DictReader(open(sys.argv[1])))
    cols = ['gpus', 'tokens_per_gpu', 'shared_connection', 'layer_time_us', 'scheduler_wall_ms',
            'events', 'wall_s', 'user_s', 'peak_rss_mb', 'events_per_s', 'load_avg_1min']
    print('| ' + ' | '.join(cols) + ' |')
    print('|' + '---|' * len(cols))
    for r in rows:
        print('| ' + ' | '.join(r[c] for c in cols) + ' |')
    print()
    for mode in sorted({r['shared_connection'] for r in rows}):
        sel = [r for r in rows if r['shared_connection'] == mode]
        n = np.array([float(r['gpus']) for r in sel])
        t = np.array([float(r['tokens_per_gpu']) for r in sel])
        if len(sel) < 3 or len(set(n)) < 2 or len(set(t)) < 2:
            print('shared_connection=%s: too few distinct N and T to fit' % mode)
            continue
        x = np.column_stack([np.ones(len(sel)), np.log(n), np.log(t)])
        for y in ['user_s', 'wall_s', 'peak_rss_mb', 'events']:
            v = np.log(np.array([float(r[y]) for r in sel]))
            coef, *_ = np.linalg.lstsq(x, v, rcond=None)
            pred = x @ coef
            ss = float(np.sum((v - v.mean()) ** 2))
            r2 = 1.0 - float(np.sum((v - pred) ** 2)) / ss if ss > 0 else 1.0
            print('shared_connection=%s: %s ~ %.3g * N^%.2f * T^%.2f  (R^2 on logs %.3f, %d runs)'
                  % (mode, y, np.exp(coef[0]), coef[1], coef[2], r2, len(sel)))


if __name__ == '__main__':
    main()
