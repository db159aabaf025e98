# fit.gp: tcsim fit, one panel per observed metric: the observations (black
# points), the simulated mean of the fitted scenario's replications over
# the whole run (thick line) with its 95 % band (shaded), the fit's value at
# each observed time (open circles on the line), and the holdout period
# shaded and labelled: its points were not fitted.
# From tcsim: npan, pm1..pmN (metrics), curve (one block per panel: t mean
# lo hi), points (one block per panel: t observed simulated ci95
# in_holdout), nob1.., ylo1.., yhi1.., hold, hf, ht (the holdout), warm,
# tmax, tlabel, nxt, xtp1.., xtl1.. (date ticks), title, sub, nrep.
load plotdir.'/lib.gp'
cols = (npan <= 2 || (uw > 0 && uw < 1100)) ? 1 : 2
rows = int((npan + cols - 1) / cols)
Wd = (cols == 1) ? 1000 : 1300
W = pw(Wd)
hdr = 118
ph = panel_h(Wd, (npan == 1) ? 420 : 280, hdr, rows)
H = hdr + ph * rows
load plotdir.'/style.gp'

set multiplot
set label 10 title at screen 0.5, screen 1 - 22.0 / H center font ',14'
set label 11 sub.(nrep > 1 ? ': simulated mean across replications, 95 % band' : ': one replication, so no band') at screen 0.5, screen 1 - 46.0 / H center font ',10' tc rgb '#444444'
set label 12 'observed (black points); simulated (line, band); fit value at each observed time (open circles)'.(hold ? '; holdout shaded (not fitted)' : '') at screen 0.5, screen 1 - 72.0 / H center font ',9' tc rgb '#444444'
unset key
set xrange [0:tmax]
if (nxt > 0) {
    set xtics () font ',9'
    do for [k = 1:nxt] { set xtics add (value(sprintf('xtl%d', k)) value(sprintf('xtp%d', k))) }
}
set xlabel tlabel offset 0, 0.5 font ',9'
do for [i = 1:npan] {
    set lmargin at screen panel_l(i, cols)
    set rmargin at screen panel_r(i, cols)
    set tmargin at screen panel_t(i, cols, hdr, ph)
    set bmargin at screen panel_b(i, cols, hdr, ph)
    yl = value(sprintf('ylo%d', i))
    yh = value(sprintf('yhi%d', i))
    pad = (yh - yl) * 0.08
    set yrange [(yl < 0 ? yl - pad : 0):(yh + pad)]
    unset object 1
    unset label 20
    if (hold) {
        set object 1 rect from hf, graph 0 to ht, graph 1 behind fc rgb '#e4e4e4' fs solid 1.0 noborder
        set label 20 'holdout' at (hf + ht) / 2.0, graph 0.94 center font ',9' tc rgb '#444444'
    }
    set title value(sprintf('pm%d', i)) offset 0, -0.6 font ',11'
    set ylabel 'value' offset 1, 0 font ',9'
    plot curve index (i - 1) u 1:3:4 w filledcurves fc rgb col(1) fs transparent solid 0.22 noborder notitle, \
         '' index (i - 1) u 1:2 w l lw 2.5 lc rgb col(1) notitle, \
         points index (i - 1) u 1:3 w p pt 6 ps 1.1 lc rgb col(4) notitle, \
         '' index (i - 1) u 1:2 w p pt 7 ps 0.9 lc rgb '#000000' notitle
    unset label 10
    unset label 11
    unset label 12
}
unset multiplot
