# lib.gp: the palette and the layout helpers every script shares; no
# output. Loaded by style.gp, or earlier by a script that needs the helpers
# to choose its picture size (they read W and H only when called).
# colour-blind-safe qualitative palette (Okabe-Ito), cycled
array pal[8] = ['#0072B2', '#E69F00', '#009E73', '#D55E00', '#CC79A7', '#56B4E9', '#8E7A00', '#000000']
col(i) = pal[(i - 1) % 8 + 1]

# panel(i, cols, hdr, ph, pw): place panel i (1-based, row-major) of a grid
# whose rows are ph pixels high under a header of hdr pixels, in a picture
# of W x H pixels; leaves room for a title above and tick labels below.
panel_l(i, cols) = (int(i - 1) % cols) * (1.0 / cols) + 75.0 / W
panel_r(i, cols) = (int(i - 1) % cols + 1) * (1.0 / cols) - 25.0 / W
panel_t(i, cols, hdr, ph) = 1.0 - (hdr + int((i - 1) / cols) * ph + 34.0) / H
panel_b(i, cols, hdr, ph) = 1.0 - (hdr + (int((i - 1) / cols) + 1) * ph - 56.0) / H

# A legend drawn by hand at the top of a multi-panel picture (gnuplot's key
# belongs to one panel and wraps in narrow ones). legend_entry(k, x, y, text,
# colour, width, kind) gives the commands for entry k at screen pixels
# (x, y from the top): kind 'line' or 'box'. legend_w(text) is its width.
legend_w(text) = 44 + 6.6 * strlen(text) + 26
legend_entry(k, x, y, text, c, lw, kind) = legend_entry_(k, x * 1.0, y * 1.0, text, c, lw, kind)
legend_entry_(k, x, y, text, c, lw, kind) = (kind eq 'box') ? \
    sprintf("set object %d rect from screen %.5f, screen %.5f to screen %.5f, screen %.5f fc rgb '%s' fs solid 1.0 noborder front; set label %d '%s' at screen %.5f, screen %.5f left font ',10'", \
        100 + k, x / W, 1 - (y + 6) / H, (x + 34) / W, 1 - (y - 6) / H, c, 100 + k, text, (x + 42) / W, 1 - y / H) : \
    sprintf("set arrow %d from screen %.5f, screen %.5f to screen %.5f, screen %.5f nohead lw %g lc rgb '%s' front; set label %d '%s' at screen %.5f, screen %.5f left font ',10'", \
        100 + k, x / W, 1 - y / H, (x + 34) / W, 1 - y / H, lw, c, 100 + k, text, (x + 42) / W, 1 - y / H)
