# Throughput against concurrency: creations per second (all jobs together)
# against the number of parallel creators, one line per method.
# Fed by plots/report.py: datafile (one block per method: jobs rate),
# titles (array), nblocks, term, subtitle.
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
set title sprintf("Scaling: creations per second against parallel creators (--jobs)\n%s", subtitle) noenhanced
set xlabel "parallel creators (jobs)"
set ylabel "creations per second, all jobs together"
set yrange [0:*]
set grid xtics ytics lc rgb "#dddddd"
set xtics 1
set key outside right top box noenhanced
plot for [i=0:nblocks-1] datafile index i using 1:2 with linespoints lw 2 pt 7 title titles[i+1]
