# The three phases of one creation per benchmark, as medians side by side:
# parent back from the call (t1-t0), child running (tc-t0), reaped (t2-t0).
# They overlap in time (a vfork child runs before its parent returns), so
# they are drawn side by side rather than stacked.
# Fed by plots/report.py: datafile (index median ci_lo ci_hi p99 parent child), labels
# (array: the benchmarks' names, by index), term, subtitle.
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
set title sprintf("Phases of one creation (medians)\n%s", subtitle) noenhanced
set ylabel "time since the parent entered the call (microseconds, log scale)"
set xlabel "benchmark"
set logscale y
set yrange [ymin:*]  # a power of ten below the smallest value (report.py)
set grid ytics mytics lc rgb "#dddddd"
set style data histogram
set style histogram clustered gap 1
set style fill solid 0.7 border -1
set boxwidth 0.9
set xtics rotate by -30 left noenhanced nomirror
set key outside right top box
plot datafile using 6:xtic(labels[int($1)+1]) lc rgb "#e0a020" title "parent back from the call (t1)", \
     ""       using 7 lc rgb "#30a050" title "child's first instruction (tc)", \
     ""       using 2 lc rgb "#4878a8" title "child reaped (t2)"
