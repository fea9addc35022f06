# The three phases of one creation per benchmark, as medians side by side:
# parent back from the call (t1-t0), child running (tc-t0), reaped (t2-t0).
# They overlap in time (a vfork child runs before its parent returns), so
# they are drawn side by side rather than stacked.
# Fed by plots/report.py: datafile, outfile, term, subtitle.
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
set title sprintf("Phases of one creation (medians)\n%s", subtitle) noenhanced
set ylabel "time since the parent entered the call (microseconds, log scale)"
set xlabel "benchmark"
set logscale y
set yrange [1:*]
set grid ytics mytics lc rgb "#dddddd"
set style data histogram
set style histogram clustered gap 1
set style fill solid 0.7 border -1
set boxwidth 0.9
set xtics rotate by -30 left noenhanced nomirror
set key outside right top box
plot datafile using 7:xtic(2) lc rgb "#e0a020" title "parent back from the call (t1)", \
     ""       using 8 lc rgb "#30a050" title "child's first instruction (tc)", \
     ""       using 3 lc rgb "#4878a8" title "child reaped (t2)"
