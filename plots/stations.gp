# stations.gp: trucks present, waiting for a server and blocked at each
# station over time, one panel per station: the mean across replications
# (line) and its 95 % confidence band (shade). The warm-up, which the
# statistics leave out, is shaded grey.
# From tcsim: data (stations.dat, one block per station: t, then mean, lo, hi
# of present, waiting, blocked), nst, st1..stN (names), ymax1..ymaxN,
# tunit, warm, tmax, title, sub, nrep.
cols = (nst <= 3) ? 1 : 2
rows = int((nst + cols - 1) / cols)
hdr = 95
ph = (nst == 1) ? 380 : ((nst == 2) ? 290 : 240)
W = (cols == 1) ? 1000 : 1300
H = hdr + ph * rows
load plotdir.'/style.gp'

set multiplot
set label 10 title at screen 0.5, screen 1 - 22.0 / H center font ',14'
set label 11 sub.(nrep > 1 ? ': mean across replications (line), 95 % confidence band (shade)' : ': one replication, so no confidence band') at screen 0.5, screen 1 - 46.0 / H center font ',10' tc rgb '#444444'
array lt[4] = ['present', 'waiting for a server', 'blocked (served, no room downstream)', 'warm-up (not in the statistics)']
array lc[4] = [col(1), col(2), '#B2182B', '#e4e4e4']
array lw[4] = [3, 1.5, 1.5, 1]
nlg = (warm > 0) ? 4 : 3
lx = W / 2.0
do for [k = 1:nlg] { lx = lx - legend_w(lt[k]) / 2.0 }
do for [k = 1:nlg] {
    lg_k = k; lg_x = lx; lg_y = 72; lg_text = lt[k]; lg_c = lc[k]; lg_lw = lw[k]
    lg_kind = (k == 4) ? 'box' : 'line'
    load plotdir.'/legend.gp'
    lx = lx + legend_w(lt[k])
}
unset key
set xrange [0:tmax]
set xlabel 'time ('.tunit.')' offset 0, 0.5 font ',9'
set ylabel 'trucks' offset 1, 0 font ',9'
do for [i = 1:nst] {
    set lmargin at screen panel_l(i, cols)
    set rmargin at screen panel_r(i, cols)
    set tmargin at screen panel_t(i, cols, hdr, ph)
    set bmargin at screen panel_b(i, cols, hdr, ph)
    set title value(sprintf('st%d', i)) offset 0, -0.6 font ',11'
    ym = value(sprintf('ymax%d', i))
    set yrange [0:(ym > 0 ? ym * 1.08 : 1)]
    unset object 1
    if (warm > 0) {
        set object 1 rect from 0, graph 0 to warm, graph 1 behind fc rgb '#e4e4e4' fs solid 1.0 noborder
    }
    plot data index (i - 1) u 1:3:4 w filledcurves fc rgb col(1) notitle, \
         '' index (i - 1) u 1:6:7 w filledcurves fc rgb col(2) notitle, \
         '' index (i - 1) u 1:9:10 w filledcurves fc rgb '#B2182B' notitle, \
         '' index (i - 1) u 1:2 w l lw 3 lc rgb col(1) notitle, \
         '' index (i - 1) u 1:5 w l lw 1.5 lc rgb col(2) notitle, \
         '' index (i - 1) u 1:8 w l lw 1.5 lc rgb '#B2182B' notitle
    unset label 10
    unset label 11
    do for [k = 1:4] {
        unset arrow 100 + k
        unset label 100 + k
        unset object 100 + k
    }
}
unset multiplot
