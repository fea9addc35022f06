# A sweep's cost model (procbench model): each model's points (measured median round trip)
# against the parent's resident memory, and the fitted values joined as a line, log-log.
# Fed by plots/report.py: datafile (one block per model: resident_mib measured fitted, in
# microseconds, sorted by memory), titles (array), nblocks, term, subtitle.
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
set title sprintf("Cost model: measured medians (points) and the fitted model (lines)\n%s", subtitle) noenhanced
set xlabel "parent resident memory (MiB, measured, log scale)"
set ylabel "round trip (microseconds, log scale)"
set logscale xy
set grid xtics ytics mxtics mytics lc rgb "#dddddd"
set key outside right top box noenhanced
plot for [i=0:nblocks-1] datafile index i using 1:2 with points pt 7 ps 1.2 lc i+1 title titles[i+1], \
     for [i=0:nblocks-1] datafile index i using 1:3 with lines lw 2 lc i+1 notitle
