# Comparison: per-benchmark ratio NEW/BASE of medians with its 95% CI, the
# no-change band (+-threshold) shaded, regressions in red, improvements green.
# Fed by plots/report.py: datafile (index ratio lo hi colour), labels (array: the
# benchmarks' names, by index), threshold (fraction), ymin, ymax, term, subtitle, nrows.
# Values arrive in a file of assignments that plots/report.py writes (gnuplot -c FILE VARS):
# strings in double quotes with every byte outside a plain set octal-escaped, lists as arrays,
# so a name is data whatever characters it holds, and no value passes on a command line.
load ARG1
if (term eq "svg") {
    set terminal svg size 1250,650 dynamic font "sans,11" background "white"
} else {
    set terminal pngcairo size 1250,650 font "sans,10"
}
set output  # stdout: report.py writes the file (gnuplot exits 0 after a failed write)
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
plot datafile using 1:2:3:4:5 with yerrorbars pt 7 ps 1.3 lw 2 lc rgb variable title "NEW/BASE with 95% CI (red: slower, green: faster, blue: no change or inconclusive)", \
     ""       using 1:2:xtic(labels[int($1)+1]) with points pt 7 ps 0 notitle
