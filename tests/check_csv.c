/* check_csv.c — the CSV rows of sim/csv.c: splitting one row in place
 * (plain, quoted, "" escapes, empty fields, malformed rows), writing a
 * field so that splitting gives it back, and reading lines whatever
 * their end (LF, CR LF, none) and length. */
#include <check.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sim/csv.h"

/* ---- sim_csv_split ---------------------------------------------------------- */

#define MAXF 6

static const struct {
    const char *row;
    size_t n;                 /* 0: malformed */
    const char *f[MAXF];
} split_cases[] = {
    {"a,b,c", 3, {"a", "b", "c"}},
    {"totals.cycles", 1, {"totals.cycles"}},
    {"\"a,b\",c", 2, {"a,b", "c"}},
    {"\"say \"\"hi\"\"\",x", 2, {"say \"hi\"", "x"}},
    {"\"\"\"\"", 1, {"\""}},
    {"x,\"\"", 2, {"x", ""}},
    {"a,,c", 3, {"a", "", "c"}},
    {"a,b,", 3, {"a", "b", ""}},
    {",", 2, {"", ""}},
    {",,", 3, {"", "", ""}},
    {"", 1, {""}},
    {" a , b ", 2, {" a ", " b "}},
    {"\"build/programs/x.elf\",0", 2, {"build/programs/x.elf", "0"}},
    {"\"lead\",\"mid,dle\",\"end\"", 3, {"lead", "mid,dle", "end"}},
    /* Malformed. */
    {"\"abc", 0, {0}},
    {"a,\"b", 0, {0}},
    {"\"a\"\"", 0, {0}},
    {"\"abc\"x,y", 0, {0}},
    {"\"abc\" ,y", 0, {0}},
    {"ab\"c", 0, {0}},
    {"a,b\"", 0, {0}},
    {"\"", 0, {0}},
};

START_TEST(test_split)
{
    char line[128], *f[MAXF + 1];
    snprintf(line, sizeof line, "%s", split_cases[_i].row);
    f[MAXF] = (char *)"sentinel";
    size_t n = sim_csv_split(line, f, MAXF);
    ck_assert_msg(n == split_cases[_i].n, "'%s': %zu fields, expected %zu",
                  split_cases[_i].row, n, split_cases[_i].n);
    for (size_t i = 0; i < n; i++)
        ck_assert_msg(!strcmp(f[i], split_cases[_i].f[i]),
                      "'%s': field %zu is '%s', expected '%s'",
                      split_cases[_i].row, i, f[i], split_cases[_i].f[i]);
    ck_assert_str_eq(f[MAXF], "sentinel");
}
END_TEST

/* Only max fields are stored, but the row's count is returned. */
START_TEST(test_split_max)
{
    char line[] = "a,\"b,c\",d,e";
    char *f[3] = {NULL, NULL, (char *)"untouched"};
    ck_assert_uint_eq(sim_csv_split(line, f, 2), 4);
    ck_assert_str_eq(f[0], "a");
    ck_assert_str_eq(f[1], "b,c");
    ck_assert_str_eq(f[2], "untouched");

    char line2[] = "x,y,z";
    ck_assert_uint_eq(sim_csv_split(line2, NULL, 0), 3);
}
END_TEST

/* ---- sim_csv_field ---------------------------------------------------------- */

static const struct {
    const char *in, *back;    /* what splitting gives back */
    bool quoted;
} field_cases[] = {
    {"plain", "plain", false},
    {"totals.cycles", "totals.cycles", false},
    {"", "", false},
    {"a,b", "a,b", true},
    {"say \"hi\"", "say \"hi\"", true},
    {"\"", "\"", true},
    {" lead", " lead", true},
    {"trail ", "trail ", true},
    {"in side", "in side", false},
    {"two\nlines", "two lines", true},
    {"crlf\r\nend", "crlf  end", true},
    {",\",\"", ",\",\"", true},
};

START_TEST(test_field_round_trip)
{
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);
    ck_assert_ptr_nonnull(f);
    /* The field between two plain ones: its commas must not leak. */
    fputs("before,", f);
    sim_csv_field(f, field_cases[_i].in);
    fputs(",after\n", f);
    ck_assert_int_eq(fclose(f), 0);

    ck_assert_msg((strchr(buf, '"') != NULL) == field_cases[_i].quoted,
                  "'%s' written as %s", field_cases[_i].in, buf);
    FILE *r = fmemopen(buf, len, "r");
    ck_assert_ptr_nonnull(r);
    char *line = sim_csv_read_line(r);
    ck_assert_ptr_nonnull(line);
    ck_assert_ptr_null(sim_csv_read_line(r));
    fclose(r);
    char *fields[4];
    ck_assert_msg(sim_csv_split(line, fields, 4) == 3, "'%s' written as %s",
                  field_cases[_i].in, buf);
    ck_assert_str_eq(fields[0], "before");
    ck_assert_str_eq(fields[1], field_cases[_i].back);
    ck_assert_str_eq(fields[2], "after");
    free(line);
    free(buf);
}
END_TEST

/* ---- sim_csv_read_line ------------------------------------------------------ */

static FILE *text(const char *s)
{
    FILE *f = tmpfile();
    ck_assert_ptr_nonnull(f);
    fputs(s, f);
    rewind(f);
    return f;
}

static void expect_lines(FILE *f, const char *const *want, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        char *line = sim_csv_read_line(f);
        ck_assert_msg(line != NULL, "line %zu missing", i + 1);
        ck_assert_msg(!strcmp(line, want[i]), "line %zu is '%s', expected "
                      "'%s'", i + 1, line, want[i]);
        free(line);
    }
    ck_assert_ptr_null(sim_csv_read_line(f));
    ck_assert_ptr_null(sim_csv_read_line(f));
    fclose(f);
}

START_TEST(test_read_lf)
{
    static const char *const want[] = {"a,b", "", "c"};
    expect_lines(text("a,b\n\nc\n"), want, 3);
}
END_TEST

START_TEST(test_read_crlf)
{
    /* A CR inside a line stays; only the one before the LF goes. */
    static const char *const want[] = {"a,b", "c\rd", "", "e"};
    expect_lines(text("a,b\r\nc\rd\r\n\r\ne\r\n"), want, 4);
}
END_TEST

START_TEST(test_read_no_final_newline)
{
    static const char *const want[] = {"a", "last,row"};
    expect_lines(text("a\nlast,row"), want, 2);
    static const char *const want_cr[] = {"x"};
    expect_lines(text("x\r"), want_cr, 1);
}
END_TEST

START_TEST(test_read_empty)
{
    expect_lines(text(""), NULL, 0);
    static const char *const want[] = {""};
    expect_lines(text("\n"), want, 1);
}
END_TEST

/* Past the first buffer (256 bytes) and several doublings. */
START_TEST(test_read_long)
{
    static const size_t lens[] = {255, 256, 257, 1000, 70000};
    for (size_t k = 0; k < sizeof lens / sizeof lens[0]; k++) {
        size_t n = lens[k];
        char *s = malloc(2 * n + 4);
        ck_assert_ptr_nonnull(s);
        for (size_t i = 0; i < n; i++)
            s[i] = (char)('a' + i % 26);
        s[n] = '\n';
        memcpy(s + n + 1, s, n);
        s[2 * n + 1] = '\r';
        s[2 * n + 2] = '\n';
        s[2 * n + 3] = '\0';
        FILE *f = text(s);
        for (int rep = 0; rep < 2; rep++) {
            char *line = sim_csv_read_line(f);
            ck_assert_ptr_nonnull(line);
            ck_assert_uint_eq(strlen(line), n);
            ck_assert(!memcmp(line, s, n));
            free(line);
        }
        ck_assert_ptr_null(sim_csv_read_line(f));
        fclose(f);
        free(s);
    }
}
END_TEST

Suite *csv_suite(void)
{
    Suite *s = suite_create("csv");
    TCase *tc = tcase_create("split");
    tcase_add_loop_test(tc, test_split, 0,
                        (int)(sizeof split_cases / sizeof split_cases[0]));
    tcase_add_test(tc, test_split_max);
    tcase_add_loop_test(tc, test_field_round_trip, 0,
                        (int)(sizeof field_cases / sizeof field_cases[0]));
    suite_add_tcase(s, tc);
    tc = tcase_create("read_line");
    tcase_add_test(tc, test_read_lf);
    tcase_add_test(tc, test_read_crlf);
    tcase_add_test(tc, test_read_no_final_newline);
    tcase_add_test(tc, test_read_empty);
    tcase_add_test(tc, test_read_long);
    suite_add_tcase(s, tc);
    return s;
}
