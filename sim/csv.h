/* csv.h — the CSV rows parsim writes and reads back (--stats-csv, parsim
 * sweep, parsim plot): RFC 4180 fields, one row per line (no line breaks
 * inside a field: parsim never writes one).
 *
 * May depend on: the C library only.
 */
#ifndef PARSIM_SIM_CSV_H
#define PARSIM_SIM_CSV_H

#include <stddef.h>
#include <stdio.h>

/* Split one row (without its line end) in place: fields[i] points into
 * line, quotes undone.  Returns the number of fields the row has (only
 * the first max are stored), or 0 for a malformed row (a quote that does
 * not close, text after a closing quote).  fields NULL: only count, and
 * leave line as it is. */
size_t sim_csv_split(char *line, char **fields, size_t max);

/* Write s as one field: as it is, or in quotes when it holds a comma, a
 * quote, a line break or spaces at an end (line breaks become spaces). */
void sim_csv_field(FILE *f, const char *s);

/* Read one line of f into a malloc'd buffer without its line end (CR LF
 * or LF); NULL at the end of the file or when out of memory. */
char *sim_csv_read_line(FILE *f);

#endif
