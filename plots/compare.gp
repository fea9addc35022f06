# Comparison: per-benchmark ratio NEW/BASE of medians with its 95% CI, the
# no-change band (+-threshold) shaded, regressions in red, improvements green.
# Fed by plots/report.py: datafile (index name ratio lo hi colour), threshold
# (fraction), ymin, ymax, outfile, term, subtitle, nrows.
# Variables arrive as arguments, never as code (gnuplot -c FILE 's:NAME n:NAME ...' VALUE
# VALUE ...; at most 8): file names and titles are data, whatever characters they hold.
do for [i=1:words(ARG1)] { k = word(ARG1, i); if (k[1:2] eq 'n:') { eval(k[3:].' = ARGV['.(i+1).'] + 0') } else { eval(k[3:].' = ARGV['.(i+1).']') } }
if (term eq "svg") {
    set terminal svg size 1250,650 dynamic font "sans,11" background "white"
} else {
    set terminal pngcairo size 1250,650 font "sans,10"
}
set output outfile
set title sprintf("NEW / BASE per benchmark (95%% CI); shaded: within +-%g%%\n%s", threshold * 100, subtitle) noenhanced
set ylabel "ratio of medians NEW / BASE (log scale)"
unset xlabel
set logscale y
set yrange [ymin:ymax]
set grid ytics lc rgb "#dddddd"
set xtics rotate by -30 left noenhanced nomirror
set xrange [-0.7:nrows-0.3]
set key below box
set object 1 rectangle from graph 0, first (1-threshold) to graph 1, first (1+threshold) fc rgb "#cccccc" fs solid 0.5 noborder behind
set arrow 1 from graph 0, first 1 to graph 1, first 1 nohead lc rgb "#555555" dt 2
plot datafile using 1:3:4:5:6 with yerrorbars pt 7 ps 1.3 lw 2 lc rgb variable title "NEW/BASE with 95% CI (red: slower, green: faster, blue: no change or inconclusive)", \
     ""       using 1:3:xtic(2) with points pt 7 ps 0 notitle
