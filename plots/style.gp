# style.gp: the look every tcsim plot shares. Each script sets W and H (the
# picture size in pixels) and then loads this file.
# From tcsim: fmt ('png', 'svg' or 'pdf') and out (the file to write).
if (fmt eq 'svg') {
    set terminal svg size W,H dynamic font 'Sans,11' background rgb 'white' noenhanced
} else {
    if (fmt eq 'pdf') {
        set terminal pdfcairo size (W/100.0),(H/100.0) font 'Sans,8' noenhanced
    } else {
        set terminal pngcairo size W,H font 'Sans,10' background rgb 'white' noenhanced
    }
}
set output out
load plotdir.'/lib.gp'
set encoding utf8
set termoption noenhanced

set border 3 lc rgb '#444444'
set tics nomirror out scale 0.6
set grid ytics lt 1 lc rgb '#e4e4e4' lw 1
set grid xtics lt 1 lc rgb '#f0f0f0' lw 1
set key noopaque samplen 2.5 spacing 1.1
set style fill transparent solid 0.22 noborder
