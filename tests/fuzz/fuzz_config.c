/* fuzz_config.c — libFuzzer target: the INI machine-file parser and
 * --set (sim/config.h).
 *
 * The input is read twice: as a machine file (sim_config_load on a file
 * holding it), and as --set options, one "key=value" a line (a line with
 * no '=' is a key with an empty value).  Each configuration then goes
 * through sim_config_resolve, sim_config_check and --list-keys, and
 * every key's value as --list-keys shows it must set back to itself: a
 * configuration is only ever made of values its keys accept (tried for
 * the keys the input changed and every sixteenth key).  Every error is
 * one line.
 */
#include <stdlib.h>
#include <string.h>

#include "sim/config.h"
#include "tests/fuzz/fuzz.h"

#define ERRLEN 256

static void check_err(const char *err, const char *what)
{
    FUZZ_CHECK(memchr(err, 0, ERRLEN) != NULL, "%s: error not terminated",
               what);
    FUZZ_CHECK(err[0] != 0, "%s failed without a reason", what);
    FUZZ_CHECK(strchr(err, '\n') == NULL, "%s: error of more than one "
               "line: %s", what, err);
}

static void exercise(const SimConfig *c, char *err)
{
    SimConfig r = *c;
    sim_config_resolve(&r);
    if (!sim_config_check(&r, err, ERRLEN))
        check_err(err, "sim_config_check");
    sim_config_print_keys(c, fuzz_discard());

    /* The defaults set back the same for every input, so only the keys
     * the input changed are tried (each set looks its key up among all). */
    SimConfig back = *c, dflt;
    sim_config_defaults(&dflt);
    size_t n = sim_config_key_count();
    for (size_t i = 0; i < n; i++) {
        char val[1024], again[1024];
        bool number, number2;
        const char *key = sim_config_key_at(c, i, val, sizeof val, &number);
        sim_config_key_at(&dflt, i, again, sizeof again, &number2);
        if (!strcmp(val, again) && i % 16 != 0)
            continue;
        FUZZ_CHECK(sim_config_set(&back, key, val, err, ERRLEN),
                   "%s = '%s' (as --list-keys shows it) does not set: %s",
                   key, val, err);
        sim_config_key_at(&back, i, again, sizeof again, &number2);
        FUZZ_CHECK(!strcmp(val, again) && number == number2,
                   "%s = '%s' sets to '%s'", key, val, again);
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *err = malloc(ERRLEN);
    char *text = malloc(size + 1);
    if (!err || !text)
        abort();

    /* A machine file. */
    SimConfig c;
    sim_config_defaults(&c);
    const char *path = fuzz_file(data, size);
    if (!sim_config_load(&c, path, err, ERRLEN))
        check_err(err, "sim_config_load");
    exercise(&c, err);

    /* --set key=value, a line each. */
    memcpy(text, data, size);
    text[size] = 0;
    sim_config_defaults(&c);
    for (char *line = text, *next; line; line = next) {
        next = strchr(line, '\n');
        if (next)
            *next++ = 0;
        char *eq = strchr(line, '=');
        const char *value = "";
        if (eq) {
            *eq = 0;
            value = eq + 1;
        }
        if (!sim_config_set(&c, line, value, err, ERRLEN))
            check_err(err, "sim_config_set");
        uint64_t bytes;
        (void)sim_parse_size(value, &bytes);
    }
    exercise(&c, err);

    free(text);
    free(err);
    return 0;
}
