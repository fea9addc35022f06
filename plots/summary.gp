# Median round trip per benchmark with its 95% CI, the p99, and the two
# earlier phases (parent back from the call, child running).
# Fed by plots/report.py: datafile, outfile, term ("png" or "svg"), subtitle.
# Variables arrive as arguments, never as code (gnuplot -c FILE 's:NAME n:NAME ...' VALUE
# VALUE ...; at most 8): file names and titles are data, whatever characters they hold.
do for [i=1:words(ARG1)] { k = word(ARG1, i); if (k[1:2] eq 'n:') { eval(k[3:].' = ARGV['.(i+1).'] + 0') } else { eval(k[3:].' = ARGV['.(i+1).']') } }
if (term eq "svg") {
    set terminal svg size 1250,620 dynamic font "sans,11" background "white"
} else {
    set terminal pngcairo size 1250,620 font "sans,10"
}
set output outfile
set datafile missing "?"
set title sprintf("procbench: cost of creating a process, per benchmark\n%s", subtitle) noenhanced
set ylabel "time per creation (microseconds, log scale)"
set xlabel "benchmark"
set logscale y
set yrange [5:*]
set grid ytics mytics lc rgb "#dddddd"
set style fill solid 0.55 border -1
set boxwidth 0.6
set xtics rotate by -30 left noenhanced nomirror
set key outside right top box
set bars 3
plot datafile using 1:3:xtic(2) with boxes lc rgb "#4878a8" title "median round trip (create .. reaped)", \
     ""       using 1:3:4:5 with yerrorbars lc rgb "black" pt 0 lw 1.5 title "95% CI of the median", \
     ""       using 1:6 with points pt 9 ps 1.4 lc rgb "#c03030" title "p99", \
     ""       using ($1-0.15):7 with points pt 7 ps 0.9 lc rgb "#e0a020" title "median: parent back from the call", \
     ""       using ($1+0.15):8 with points pt 5 ps 0.9 lc rgb "#30a050" title "median: child's first instruction"
