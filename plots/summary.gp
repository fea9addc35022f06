# Median round trip per benchmark with its 95% CI, the p99, and the two
# earlier phases (parent back from the call, child running).
# Fed by plots/report.py: datafile (index median ci_lo ci_hi p99 parent child), labels
# (array: the benchmarks' names, by index), term ("png" or "svg"), subtitle.
# Values arrive in a file of assignments that plots/report.py writes (gnuplot -c FILE VARS):
# strings in double quotes with every byte outside a plain set octal-escaped, lists as arrays,
# so a name is data whatever characters it holds, and no value passes on a command line.
load ARG1
if (term eq "svg") {
    set terminal svg size 1250,620 dynamic font "sans,11" background "white"
} else {
    set terminal pngcairo size 1250,620 font "sans,10"
}
set output  # stdout: report.py writes the file (gnuplot exits 0 after a failed write)
set datafile missing "?"
set title sprintf("procbench: cost of creating a process, per benchmark\n%s", subtitle) noenhanced
set ylabel "time per creation (microseconds, log scale)"
set xlabel "benchmark"
set logscale y
set yrange [ymin:*]  # a power of ten below the smallest value (report.py)
set grid ytics mytics lc rgb "#dddddd"
set style fill solid 0.55 border -1
set boxwidth 0.6
set xtics rotate by -30 left noenhanced nomirror
set key outside right top box
set bars 3
plot datafile using 1:2:xtic(labels[int($1)+1]) with boxes lc rgb "#4878a8" title "median round trip (create .. reaped)", \
     ""       using 1:2:3:4 with yerrorbars lc rgb "black" pt 0 lw 1.5 title "95% CI of the median", \
     ""       using 1:5 with points pt 9 ps 1.4 lc rgb "#c03030" title "p99", \
     ""       using ($1-0.15):6 with points pt 7 ps 0.9 lc rgb "#e0a020" title "median: parent back from the call", \
     ""       using ($1+0.15):7 with points pt 5 ps 0.9 lc rgb "#30a050" title "median: child's first instruction"
