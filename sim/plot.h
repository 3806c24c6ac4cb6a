/* plot.h — a picture of a CSV of results (`parsim plot`, and `parsim
 * sweep --plot`): one statistic (y) against one column (x), a line per
 * value of a third (--by), drawn by gnuplot into a PNG or an SVG.
 *
 * The CSV is what --stats-csv or a sweep writes (sim/csv.h): a header
 * row, then a row per run or point.  Rows whose exit_status is not 0 or
 * whose y is empty (failed runs) are left out, with a warning.  A
 * numeric x is a numeric axis (base-2 logarithmic when it spans a
 * factor of 8 or more); any other x is categorical, in the order its
 * values first appear.  gnuplot runs as a child process on a script
 * that holds the data inline, so the same CSV gives the same script.
 *
 * May depend on: isa/isa.h (ISA_WARN_UNUSED), sim/csv.h,
 * sim/machine.h (units of statistics, exit statuses), POSIX, and the
 * gnuplot program at run time.
 */
#ifndef PARSIM_SIM_PLOT_H
#define PARSIM_SIM_PLOT_H

#include <stdbool.h>
#include <stddef.h>

#include "isa/isa.h"

typedef struct SimPlotOptions {
    const char *out;          /* FILE.png or FILE.svg */
    const char *x, *y, *by;   /* columns; by may be NULL (one line) */
    unsigned width, height;   /* pixels; 0 means the default 800x600 */
    const char *title;        /* NULL: "<y> against <x>" */
} SimPlotOptions;

/* Draw y against x from the CSV file with gnuplot; 0, or -1 with a
 * one-line reason in err. */
ISA_WARN_UNUSED int sim_plot_csv(const char *csv_path,
                                 const SimPlotOptions *o, char *err,
                                 size_t errlen);

/* Where --x, --y (or, for --y A/B, y over den) and --by are among the
 * columns cols[0..n), as a plot looks them up: by name, a sweep's short
 * names (cores, threads, ranks) and their keys finding each other.  den
 * and by are -1 when not asked for.  false with the first name not found
 * copied to missing. */
typedef struct SimPlotColumns {
    long x, y, den, by;
} SimPlotColumns;
ISA_WARN_UNUSED bool sim_plot_columns(char *const *cols, size_t n,
                                      const SimPlotOptions *o,
                                      SimPlotColumns *out, char *missing,
                                      size_t len);

/* "800x600" -> 800, 600 (each 16..10000); false otherwise. */
ISA_WARN_UNUSED bool sim_plot_parse_size(const char *s, unsigned *w,
                                         unsigned *h);

/* `parsim plot FILE.csv --plot OUT.png --x KEY --y STAT [--by KEY]
 * [--plot-size WxH] [--title TEXT]`: returns the exit status (0; 64
 * usage/config error, with one line on stderr "parsim: plot: ...").
 * argv[0] is "plot". */
int sim_plot_main(int argc, char **argv);

#endif
