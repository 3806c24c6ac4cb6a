/* check_docs.c — every command in README.md and the pages of docs/ pastes
 * and works as written.
 *
 * A fenced block whose language is `sh` is a runnable command block
 * (docs/testing.md gives the convention).  Each one runs with /bin/sh -e
 * in a fresh directory holding symbolic links to the build directory
 * ($PARSIM_BUILD) and to the tree's programs/, configs/, tests/, scripts/
 * and docs/, as a reader's shell at the top of the tree would see them,
 * and must exit 0 or the status its marker gives.  The markers, each an
 * HTML comment on a line of its own right above a block's opening fence:
 *
 *   <!-- not run: REASON -->   an `sh` block the test must not run
 *   <!-- status N -->          an `sh` block expected to exit N
 *   <!-- uses: FILE... -->     an `sh` block that needs files an earlier
 *                              block of the same page made or shows
 *   <!-- file: NAME -->        a block of any language that is the file
 *                              NAME a reader saves (a program to compile)
 *
 * Checks: each runnable block (one loop iteration each, named FILE:LINE),
 * that there are enough of them, and that every marker is well formed and
 * sits where it applies.
 */
#include <check.h>

#include <errno.h>
#include <glob.h>
#include <fcntl.h>
#include <limits.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "tests/testutil.h"

/* Seconds one block may take; `make check` must stay short, so a block
 * slower than about 20 s is marked not run instead. */
#define BLOCK_TIMEOUT_S 120
#define MIN_RUNNABLE 20
#define TAIL_BYTES 1500

typedef struct DocBlock {
    const char *file;   /* "docs/memory.md" */
    int line;           /* the opening fence's line, from 1 */
    char lang[32];      /* the fence's language, "" for none */
    char *text;         /* the lines, the fence's indentation removed */
    bool run;           /* an `sh` block without <!-- not run --> */
    int status;         /* the exit status expected */
    char *uses;         /* <!-- uses: ... -->, space-separated, or NULL */
    char *saves;        /* <!-- file: NAME -->, or NULL */
} DocBlock;

static DocBlock *blocks;
static size_t nblocks;
static size_t *runnable;    /* indices into blocks of the `sh` blocks run */
static size_t nrunnable;
static char **problems;     /* "FILE:LINE: what is wrong with a marker" */
static size_t nproblems;
static bool read_failed;
static char root[PATH_MAX];      /* the tree: where the tests run */

static char *xstrdup(const char *s)
{
    char *d = strdup(s);
    if (!d)
        abort();
    return d;
}

static void *grow(void *p, size_t n, size_t size)
{
    /* Arrays grow by one element at a time; the docs hold a few hundred. */
    void *q = realloc(p, (n + 1) * size);
    if (!q)
        abort();
    return q;
}

static void problem(const char *file, int line, const char *what)
{
    char buf[512];
    snprintf(buf, sizeof buf, "%s:%d: %s", file, line, what);
    problems = grow(problems, nproblems, sizeof *problems);
    problems[nproblems++] = xstrdup(buf);
}

static void chomp(char *s)
{
    size_t n = strlen(s);
    while (n > 0 && (s[n - 1] == '\n' || s[n - 1] == '\r'))
        s[--n] = 0;
}

static const char *skip_blanks(const char *s)
{
    while (*s == ' ' || *s == '\t')
        s++;
    return s;
}

/* p without its leading and trailing blanks, in buf. */
static void trimmed(const char *p, char *buf, size_t len)
{
    snprintf(buf, len, "%s", skip_blanks(p));
    size_t n = strlen(buf);
    while (n > 0 && (buf[n - 1] == ' ' || buf[n - 1] == '\t'))
        buf[--n] = 0;
}

/* A marker line: "<!-- KIND ARG -->" with KIND one of ours.  Returns the
 * kind (0 for a line that is none of ours) and ARG in arg. */
enum { MK_NONE, MK_NOT_RUN, MK_STATUS, MK_USES, MK_FILE };

static int marker(const char *line, char *arg, size_t len)
{
    char t[1024];
    trimmed(line, t, sizeof t);
    static const struct { const char *head; int kind; } kinds[] = {
        {"<!-- not run", MK_NOT_RUN}, {"<!-- status", MK_STATUS},
        {"<!-- uses", MK_USES}, {"<!-- file", MK_FILE},
    };
    for (size_t k = 0; k < sizeof kinds / sizeof kinds[0]; k++) {
        size_t hl = strlen(kinds[k].head);
        if (strncmp(t, kinds[k].head, hl) != 0)
            continue;
        size_t n = strlen(t);
        if (n < hl + 3 || strcmp(t + n - 3, "-->") != 0) {
            snprintf(arg, len, "%s", "");
            return -kinds[k].kind;   /* malformed: no closing --> */
        }
        t[n - 3] = 0;
        const char *a = t + hl;
        if (*a == ':')
            a++;
        trimmed(a, arg, len);
        return kinds[k].kind;
    }
    return MK_NONE;
}

/* An opening or closing fence: returns its indentation, or -1.  The
 * language (the info string's first word) goes to lang. */
static int fence(const char *line, char *lang, size_t len)
{
    const char *p = skip_blanks(line);
    if (strncmp(p, "```", 3) != 0)
        return -1;
    trimmed(p + 3, lang, len);
    lang[strcspn(lang, " \t{")] = 0;
    return (int)(p - line);
}

typedef struct Pending {
    int kind, line;
    char arg[512];
} Pending;

static void attach(DocBlock *b, const Pending *m, size_t nm)
{
    for (size_t i = 0; i < nm; i++) {
        bool is_sh = !strcmp(b->lang, "sh");
        const char *what = NULL;
        switch (m[i].kind) {
        case MK_NOT_RUN:
            if (!m[i].arg[0])
                what = "<!-- not run: ... --> without a reason";
            else if (!is_sh)
                what = "<!-- not run --> before a block that is not `sh`";
            b->run = false;
            break;
        case MK_STATUS: {
            char *end;
            long st = strtol(m[i].arg, &end, 10);
            if (!m[i].arg[0] || *end || st < 0 || st > 255)
                what = "<!-- status N --> needs N from 0 to 255";
            else if (!is_sh)
                what = "<!-- status N --> before a block that is not `sh`";
            else
                b->status = (int)st;
            break;
        }
        case MK_USES:
            if (!m[i].arg[0])
                what = "<!-- uses: FILE... --> names no file";
            else if (!is_sh)
                what = "<!-- uses --> before a block that is not `sh`";
            b->uses = xstrdup(m[i].arg);
            break;
        case MK_FILE:
            if (!m[i].arg[0] || strchr(m[i].arg, '/') || strchr(m[i].arg, ' '))
                what = "<!-- file: NAME --> needs one plain file name";
            else
                b->saves = xstrdup(m[i].arg);
            break;
        }
        if (what)
            problem(b->file, m[i].line, what);
    }
}

static void scan(const char *file)
{
    FILE *f = fopen(file, "r");
    if (!f) {
        read_failed = true;
        problem(file, 0, "cannot be read (the tests run from the repository root)");
        return;
    }
    char *line = NULL;
    size_t line_cap = 0;
    int lineno = 0;
    Pending pend[8];
    size_t npend = 0;
    DocBlock *cur = NULL;
    int indent = 0;
    size_t len = 0, cap = 0;
    while (getline(&line, &line_cap, f) >= 0) {
        lineno++;
        chomp(line);
        char lang[32];
        if (cur) {
            if (fence(line, lang, sizeof lang) >= 0 && !lang[0]) {
                if (!cur->text)
                    cur->text = xstrdup("");
                cur = NULL;
                continue;
            }
            const char *p = line;
            for (int i = 0; i < indent && *p == ' '; i++)
                p++;
            size_t n = strlen(p);
            if (len + n + 2 > cap) {
                cap = (len + n + 2) * 2;
                cur->text = realloc(cur->text, cap);
                if (!cur->text)
                    abort();
            }
            memcpy(cur->text + len, p, n);
            len += n;
            cur->text[len++] = '\n';
            cur->text[len] = 0;
            continue;
        }
        int in = fence(line, lang, sizeof lang);
        if (in >= 0) {
            blocks = grow(blocks, nblocks, sizeof *blocks);
            cur = &blocks[nblocks++];
            memset(cur, 0, sizeof *cur);
            cur->file = file;
            cur->line = lineno;
            snprintf(cur->lang, sizeof cur->lang, "%s", lang);
            cur->run = !strcmp(lang, "sh");
            attach(cur, pend, npend);
            npend = 0;
            indent = in;
            len = cap = 0;
            continue;
        }
        char arg[512];
        int k = marker(line, arg, sizeof arg);
        if (k < 0) {
            problem(file, lineno, "a marker without its closing -->");
        } else if (k > 0 && npend < sizeof pend / sizeof pend[0]) {
            pend[npend].kind = k;
            pend[npend].line = lineno;
            snprintf(pend[npend].arg, sizeof pend[npend].arg, "%s", arg);
            npend++;
            continue;
        }
        for (size_t i = 0; i < npend; i++)
            problem(file, pend[i].line, "a marker not right before a block's opening fence");
        npend = 0;
    }
    if (cur) {
        if (!cur->text)
            cur->text = xstrdup("");
        problem(file, cur->line, "a block that is never closed");
    }
    for (size_t i = 0; i < npend; i++)
        problem(file, pend[i].line, "a marker not right before a block's opening fence");
    free(line);
    fclose(f);
}

static void scan_docs(void)
{
    if (blocks || read_failed)
        return;
    if (!getcwd(root, sizeof root))
        abort();
    scan("README.md");
    glob_t g;
    if (glob("docs/*.md", 0, NULL, &g) == 0) {
        /* The names outlive the glob: the blocks point at them (kept
         * here too for the pages without a block). */
        static char **names;
        names = calloc(g.gl_pathc, sizeof *names);
        if (!names)
            abort();
        for (size_t i = 0; i < g.gl_pathc; i++)
            scan(names[i] = xstrdup(g.gl_pathv[i]));
        globfree(&g);
    } else {
        read_failed = true;
        problem("docs", 0, "no docs/*.md (the tests run from the repository root)");
    }
    for (size_t i = 0; i < nblocks; i++)
        if (blocks[i].run) {
            runnable = grow(runnable, nrunnable, sizeof *runnable);
            runnable[nrunnable++] = i;
        }
}

/* ---- running a block ------------------------------------------------------ */

/* One directory per suite run, removed after it unless a block failed:
 * then the failed blocks' directories stay for a look. */
static char base[PATH_MAX];

static void make_base(void)
{
    const char *t = getenv("TMPDIR");
    snprintf(base, sizeof base, "%s/parsim-docs-XXXXXX", t && *t ? t : "/tmp");
    ck_assert_msg(mkdtemp(base) != NULL, "mkdtemp %s: %s", base, strerror(errno));
}

static void remove_base(void)
{
    char failed[PATH_MAX + 16];
    snprintf(failed, sizeof failed, "%s/.failed", base);
    if (access(failed, F_OK) == 0) {
        fprintf(stderr, "check_docs: the failed blocks ran in %s/\n", base);
        return;
    }
    char *argv[] = {"rm", "-rf", base, NULL};
    TuResult r;
    if (base[0] && tu_run(argv, NULL, 60, &r) == 0)
        tu_free(&r);
}

/* The block's own directory under base: "docs_memory.md-136". */
static void block_dir(const DocBlock *b, char *buf, size_t len)
{
    int n = snprintf(buf, len, "%s/%s-%d", base, b->file, b->line);
    if (n < 0 || (size_t)n >= len)
        abort();   /* base is a short temporary directory */
    for (char *p = buf + strlen(base) + 1; *p; p++)
        if (*p == '/')
            *p = '_';
}

static bool write_file(const char *path, const char *data, size_t n)
{
    FILE *f = fopen(path, "w");
    if (!f)
        return false;
    bool ok = fwrite(data, 1, n, f) == n;
    return fclose(f) == 0 && ok;
}

static bool copy_file(const char *from, const char *to)
{
    FILE *f = fopen(from, "r");
    if (!f)
        return false;
    char *data = NULL;
    size_t n = 0, cap = 0, k;
    char buf[65536];
    while ((k = fread(buf, 1, sizeof buf, f)) > 0) {
        if (n + k > cap) {
            cap = (n + k) * 2;
            data = realloc(data, cap);
            if (!data)
                abort();
        }
        memcpy(data + n, buf, k);
        n += k;
    }
    fclose(f);
    bool ok = write_file(to, data ? data : "", n);
    free(data);
    return ok;
}

/* Gives the block's directory the file `name` from the nearest earlier
 * block of its page that shows it (<!-- file -->) or made it. */
static bool provide(size_t bi, const char *name, const char *dir)
{
    char to[PATH_MAX + 256], from[PATH_MAX + 256], d[PATH_MAX];
    snprintf(to, sizeof to, "%s/%s", dir, name);
    for (size_t j = bi; j-- > 0;) {
        const DocBlock *e = &blocks[j];
        if (strcmp(e->file, blocks[bi].file) != 0)
            continue;
        if (e->saves && !strcmp(e->saves, name))
            return write_file(to, e->text, strlen(e->text));
        if (!e->run)
            continue;
        block_dir(e, d, sizeof d);
        snprintf(from, sizeof from, "%s/%s", d, name);
        if (access(from, R_OK) == 0)
            return copy_file(from, to);
    }
    return false;
}

static const char *tail(const char *s, size_t n)
{
    size_t len = strlen(s);
    return len > n ? s + len - n : s;
}

START_TEST(test_block)
{
    const DocBlock *b = &blocks[runnable[_i]];
    char dir[PATH_MAX], link[PATH_MAX + 32], target[PATH_MAX + 32];
    block_dir(b, dir, sizeof dir);
    ck_assert_msg(mkdir(dir, 0700) == 0, "%s:%d: mkdir %s: %s", b->file,
                  b->line, dir, strerror(errno));

    /* What a shell at the top of the tree sees; build is $PARSIM_BUILD. */
    char build[PATH_MAX];
    const char *pb = tu_build_path("");
    ck_assert_msg(realpath(pb, build) != NULL, "%s:%d: the build directory "
                  "%s: %s", b->file, b->line, pb, strerror(errno));
    snprintf(link, sizeof link, "%s/build", dir);
    ck_assert_int_eq(symlink(build, link), 0);
    static const char *const tree[] = {"programs", "configs", "tests",
                                       "scripts", "docs"};
    for (size_t k = 0; k < sizeof tree / sizeof tree[0]; k++) {
        snprintf(target, sizeof target, "%s/%s", root, tree[k]);
        snprintf(link, sizeof link, "%s/%s", dir, tree[k]);
        ck_assert_int_eq(symlink(target, link), 0);
    }
    if (b->uses) {
        char names[512];
        snprintf(names, sizeof names, "%s", b->uses);
        for (char *save, *n = strtok_r(names, " ", &save); n;
             n = strtok_r(NULL, " ", &save))
            ck_assert_msg(provide(runnable[_i], n, dir), "%s:%d uses %s, "
                          "which no earlier block of the page made or shows",
                          b->file, b->line, n);
    }

    /* Open MPI refuses root unless told, and CI may run as root; no
     * block opens a window.  timeout(1) kills the block's whole process
     * group; -x puts each command on stderr before it runs, so the tail
     * shows the one that failed. */
    char secs[16];
    snprintf(secs, sizeof secs, "%d", BLOCK_TIMEOUT_S);
    char *argv[] = {"env", "-u", "DISPLAY", "-u", "WAYLAND_DISPLAY",
                    "OMPI_ALLOW_RUN_AS_ROOT=1",
                    "OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1",
                    "timeout", "-k", "5", secs,
                    "/bin/sh", "-e", "-x", "-c", b->text, NULL};
    int here = open(".", O_RDONLY | O_DIRECTORY);
    ck_assert_int_ge(here, 0);
    ck_assert_int_eq(chdir(dir), 0);
    TuResult r;
    int started = tu_run(argv, NULL, BLOCK_TIMEOUT_S + 10, &r);
    ck_assert_int_eq(fchdir(here), 0);
    close(here);
    ck_assert_msg(started == 0, "%s:%d: could not start /bin/sh", b->file,
                  b->line);
    if (r.status != b->status) {
        char how[64];
        if (r.status == 124 || r.status < 0)
            snprintf(how, sizeof how, "took more than %d s", BLOCK_TIMEOUT_S);
        else
            snprintf(how, sizeof how, "exited %d", r.status);
        char failed[PATH_MAX + 16];
        snprintf(failed, sizeof failed, "%s/.failed", base);
        if (!write_file(failed, "", 0))
            fprintf(stderr, "check_docs: cannot write %s\n", failed);
        ck_abort_msg("%s:%d: the block %s, expected %d (run in %s); "
                     "stdout ends:\n%s\nstderr ends:\n%s", b->file, b->line,
                     how, b->status, dir, tail(r.out, 300),
                     tail(r.err, TAIL_BYTES));
    }
    tu_free(&r);
}
END_TEST

START_TEST(test_enough_blocks)
{
    ck_assert_msg(!read_failed, "%s", nproblems ? problems[0] : "docs unread");
    ck_assert_msg(nrunnable >= MIN_RUNNABLE, "only %zu runnable `sh` blocks in "
                  "README.md and docs/*.md (at least %d expected): are the "
                  "docs there and their command blocks marked `sh`?",
                  nrunnable, MIN_RUNNABLE);
}
END_TEST

START_TEST(test_markers)
{
    char msg[4096] = "";
    size_t used = 0;
    for (size_t i = 0; i < nproblems && used < sizeof msg - 1; i++)
        used += (size_t)snprintf(msg + used, sizeof msg - used, "\n%s",
                                 problems[i]);
    ck_assert_msg(nproblems == 0, "%zu misplaced or malformed markers:%s",
                  nproblems, msg);
}
END_TEST

Suite *docs_suite(void)
{
    scan_docs();
    Suite *s = suite_create("docs");
    TCase *tc = tcase_create("markers");
    tcase_add_test(tc, test_enough_blocks);
    tcase_add_test(tc, test_markers);
    suite_add_tcase(s, tc);

    TCase *run = tcase_create("commands");
    /* Base, made and removed in the runner's process, outlives each
     * block's forked check, so a later block can take an earlier one's
     * files (<!-- uses -->). */
    tcase_add_unchecked_fixture(run, make_base, remove_base);
    tcase_set_timeout(run, BLOCK_TIMEOUT_S + 20);
    tcase_add_loop_test(run, test_block, 0, (int)nrunnable);
    suite_add_tcase(s, run);
    return s;
}
