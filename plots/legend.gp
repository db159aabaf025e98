# legend.gp: one entry of a legend drawn by hand at the top of a
# multi-panel picture (gnuplot's key belongs to one panel and wraps in
# narrow ones). No command here is built from text: the entry's text is a
# string value, drawn as given, never evaluated.
# From the caller: lg_k (entry number), lg_x, lg_y (screen pixels, y from
# the top), lg_text, lg_c (colour), lg_lw (line width), lg_kind ('line',
# 'box', 'hatch' or 'point'), optionally lg_dt (dash type) and lg_pt (a point type
# drawn on the line; 0 for none). legend_w(text) of lib.gp is the width an
# entry takes.
if (!exists('lg_dt')) { lg_dt = 1 }
if (!exists('lg_pt')) { lg_pt = 0 }
if (lg_kind eq 'point') {
    set label (200 + lg_k) '' at screen (lg_x + 17.0) / W, screen 1 - lg_y * 1.0 / H \
        point pt lg_pt ps 2.2 lw 1.2 lc rgb lg_c front
} else { if (lg_kind eq 'box' || lg_kind eq 'hatch') {
    set object (100 + lg_k) rect from screen lg_x / W, screen 1 - (lg_y + 6.0) / H \
        to screen (lg_x + 34.0) / W, screen 1 - (lg_y - 6.0) / H \
        fc rgb lg_c front
    if (lg_kind eq 'box') {
        set object (100 + lg_k) fs solid 1.0 noborder
    } else {
        set object (100 + lg_k) fs transparent pattern 4 noborder
    }
} else {
    set arrow (100 + lg_k) from screen lg_x / W, screen 1 - lg_y * 1.0 / H \
        to screen (lg_x + 34.0) / W, screen 1 - lg_y * 1.0 / H nohead lw lg_lw dt lg_dt lc rgb lg_c front
    if (lg_pt > 0) {
        set label (200 + lg_k) '' at screen (lg_x + 17.0) / W, screen 1 - lg_y * 1.0 / H \
            point pt lg_pt ps 0.9 lc rgb lg_c front
    }
} }
lg_dt = 1
lg_pt = 0
set label (100 + lg_k) lg_text at screen (lg_x + 42.0) / W, screen 1 - lg_y * 1.0 / H left font ',10'
