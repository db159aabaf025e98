# optimize.gp: tcsim optimize's candidates. One panel per quantity (the
# objective, then each constraint's metric with its limit dashed) against
# the first varied key, with 95 % bars, one line per value of the other keys;
# infeasible candidates crossed, the best ringed.
# From tcsim: data (a block per series: x, mean and ci95 of each quantity,
# mark 0 feasible 1 infeasible 2 undecided 3 best), nq, q1.. (the quantities),
# lim1.. (their limits, NaN for none), ns, s1.. (the series), xlab, xnum, nx,
# xl1.. (the first key's values), screened (names), title, hasbest.
ph = 300
hdr = 70 + (strlen(screened) > 0 ? 18 : 0)
W = 900
H = hdr + ph * nq + 20
load plotdir.'/style.gp'
set label 10 title at screen 0.5, screen 1 - 22.0 / H center font ',14'
set label 11 'against '.xlab.'; bars: 95 % confidence; x: infeasible; o: best' at screen 0.5, screen 1 - 44.0 / H center font ',10' tc rgb '#444444'
if (strlen(screened) > 0) {
    set label 12 'screened (offered load >= 1, not simulated): '.screened at screen 0.5, screen 1 - 62.0 / H center font ',9' tc rgb '#666666'
}
set xlabel xlab
set offsets graph 0.04, graph 0.04, graph 0.08, graph 0.08
if (!xnum) {
    set xtics () rotate by 30 right
    do for [i = 1:nx] { set xtics add (value(sprintf('xl%d', i)) i - 1) }
}
if (xnum && nx <= 16) {
    # a tick at each value tried
    set xtics ()
    do for [i = 1:nx] { set xtics add (value(sprintf('xl%d', i)) real(value(sprintf('xl%d', i)))) }
}
set multiplot
do for [p = 1:nq] {
    set lmargin at screen 90.0 / W
    set rmargin at screen 1 - 220.0 / W
    set tmargin at screen 1 - (hdr + (p - 1) * ph + 50.0) / H
    set bmargin at screen 1 - (hdr + p * ph - 45.0) / H
    lim = value(sprintf('lim%d', p))
    set title value(sprintf('q%d', p)).(lim == lim ? sprintf('  (limit %g, dashed)', lim) : '') font ',11'
    set ylabel value(sprintf('q%d', p))
    unset arrow 1
    if (lim == lim) {
        set arrow 1 from graph 0, first lim to graph 1, first lim nohead dt 2 lw 1.5 lc rgb '#D55E00' front
    }
    set key outside right top
    mc = 2 * p
    plot for [s = 1:ns] data index (s - 1) u 1:(column(mc)):(column(mc + 1)) w yerrorlines pt 7 ps 0.8 lw 1.6 lc rgb col(s) t (ns > 1 ? value(sprintf('s%d', s)) : ''), \
         for [s = 1:ns] data index (s - 1) u 1:(column(2 * nq + 2) == 1 ? column(mc) : NaN) w p pt 2 ps 2.2 lw 2 lc rgb '#000000' t (s == 1 ? 'infeasible' : ''), \
         for [s = 1:ns] data index (s - 1) u 1:(column(2 * nq + 2) == 3 ? column(mc) : NaN) w p pt 6 ps 3 lw 2 lc rgb '#000000' t (s == 1 && hasbest ? 'best' : '')
    unset label 10
    unset label 11
    unset label 12
}
unset multiplot
