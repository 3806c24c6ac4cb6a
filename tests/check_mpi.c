/* check_mpi.c — message passing end to end: ranks with private memories,
 * the interfaces' exact LogGP costs (ping-pong against the formula of
 * docs/mpi.md), the collectives' algorithms in the statistics, the
 * deadlock and error reports, determinism, and the differential suite:
 * the MPI programs give the same output on parsim and under Open MPI
 * (tests/mpi_cases.txt).
 */
#include <check.h>
#include <json-c/json.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "models/nic.h"
#include "tests/testutil.h"

/* ---- helpers ----------------------------------------------------------------- */

static char tmpdir[256];

static const char *tmp_file(const char *name)
{
    static char buf[4][512];
    static int k;
    if (!tmpdir[0]) {
        snprintf(tmpdir, sizeof tmpdir, "/tmp/parsim-mpi-XXXXXX");
        ck_assert_ptr_nonnull(mkdtemp(tmpdir));
    }
    k = (k + 1) % 4;
    snprintf(buf[k], sizeof buf[k], "%s/%s", tmpdir, name);
    return buf[k];
}

static json_object *load(const char *path)
{
    json_object *o = json_object_from_file(path);
    ck_assert_msg(o != NULL, "cannot parse %s", path);
    return o;
}

static int64_t get_i(json_object *o, const char *key)
{
    json_object *v;
    ck_assert_msg(json_object_object_get_ex(o, key, &v), "no %s", key);
    return json_object_get_int64(v);
}

static json_object *rank_of(json_object *stats, int r)
{
    json_object *ranks;
    ck_assert(json_object_object_get_ex(stats, "ranks", &ranks));
    ck_assert_int_gt((int)json_object_array_length(ranks), r);
    return json_object_array_get_idx(ranks, (size_t)r);
}

/* The cluster4 preset's parameters (configs/cluster4.ini). */
static NicConfig cluster4(void)
{
    NicConfig c;
    memset(&c, 0, sizeof c);
    c.nodes = 4;
    c.o_send = 500;
    c.o_recv = 500;
    c.gap = 100;
    c.eager_threshold = 8192;
    c.packet_bytes = 2048;
    c.header_bytes = 32;
    c.link_bytes_per_cycle = 8;
    return c;
}

enum { LINK = 50, ROUTER = 20 };

/* ---- ping-pong: the documented formula, to the cycle ------------------------ */

static void pingpong(unsigned size, const char *stats)
{
    char sz[16];
    snprintf(sz, sizeof sz, "%u", size);
    char *args[] = {"run", "-q", "--machine", "cluster4", "--stats",
                    (char *)stats, (char *)tu_built("tests/programs/mp_pingpong.elf"),
                    sz, "5", NULL};
    TuResult r;
    ck_assert_int_eq(tu_parsim(args, NULL, 60, &r), 0);
    ck_assert_msg(r.status == 0, "status %d: %s", r.status, r.err);
    char want[64];
    snprintf(want, sizeof want, "pingpong %u bytes x 5: ok\n", size);
    ck_assert_str_eq(r.out, want);
    tu_free(&r);
}

/* Half a round trip in an idle machine: ranks 0 and 1 are neighbours on
 * cluster4's 2x2 mesh (one link). */
static uint64_t formula(const NicConfig *c, unsigned size)
{
    uint64_t w = nic_wire_cycles(c, size, 1, LINK, ROUTER);
    if (size <= c->eager_threshold)
        return c->o_send + w + c->o_recv;
    uint64_t ctrl = 2 * nic_wire_cycles(c, 0, 1, LINK, ROUTER);
    return c->o_send + (ctrl > c->gap ? ctrl : c->gap) + w + c->o_recv;
}

static const unsigned pp_sizes[] = {0, 1, 64, 2048, 2049, 8192, 8193, 65536};

START_TEST(test_pingpong_formula)
{
    NicConfig c = cluster4();
    unsigned size = pp_sizes[_i];
    const char *stats = tmp_file("pp.json");
    pingpong(size, stats);
    json_object *s = load(stats);
    uint64_t want = formula(&c, size);
    for (int rk = 0; rk < 2; rk++) {
        json_object *o = rank_of(s, rk);
        ck_assert_int_eq(get_i(o, "messages_received"), 5);
        ck_assert_msg((uint64_t)get_i(o, "latency_cycles_min") == want &&
                      (uint64_t)get_i(o, "latency_cycles_max") == want,
                      "%u bytes, rank %d: latency %lld..%lld, formula %llu",
                      size, rk, (long long)get_i(o, "latency_cycles_min"),
                      (long long)get_i(o, "latency_cycles_max"),
                      (unsigned long long)want);
        ck_assert_int_eq(get_i(o, size > c.eager_threshold ? "rendezvous"
                                                           : "eager"), 5);
    }
    json_object_put(s);
}
END_TEST

/* A hand computation of the formula for two sizes, so that a wrong
 * nic_wire_cycles cannot make the test above agree with itself. */
START_TEST(test_formula_by_hand)
{
    NicConfig c = cluster4();
    /* 64 bytes: one packet of 96 bytes, 12 cycles on a link of 8 B/cycle,
     * one link of 50. */
    ck_assert_uint_eq(formula(&c, 64), 500 + 50 + 12 + 500);
    /* 8193 bytes by rendezvous: RTS + CTS = 2 x (50 + 4); then four
     * packets of 2080 bytes (260 cycles each) and one of 33 (5). */
    ck_assert_uint_eq(formula(&c, 8193),
                      500 + 108 + (4 * 260 + 50 + 5) + 500);
}
END_TEST

/* Large messages approach the links' bandwidth (8 bytes per cycle). */
START_TEST(test_pingpong_bandwidth)
{
    const char *stats = tmp_file("bw.json");
    pingpong(1u << 20, stats);
    json_object *s = load(stats);
    double lat = (double)get_i(rank_of(s, 1), "latency_cycles_min");
    double bw = (double)(1u << 20) / lat;
    ck_assert_msg(bw > 0.95 * 8 && bw < 8, "%.3f bytes/cycle", bw);
    json_object_put(s);
}
END_TEST

/* ---- the machine --------------------------------------------------------------- */

START_TEST(test_private_memory)
{
    char *args[] = {"run", "-q", "--ranks", "4",
                    (char *)tu_built("tests/programs/mp_private.elf"), NULL};
    TuResult r;
    ck_assert_int_eq(tu_parsim(args, NULL, 60, &r), 0);
    ck_assert_msg(r.status == 0, "%s", r.err);
    ck_assert_str_eq(r.out, "rank 1 saw value 7\nrank 2 saw value 7\n"
                            "rank 3 saw value 7\nrank 0 has 1000; 4 ranks\n");
    tu_free(&r);
}
END_TEST

/* mpirun -n is --ranks. */
START_TEST(test_mpirun_alias)
{
    char *args[] = {"mpirun", "-n", "3", "-q",
                    (char *)tu_built("tests/programs/mp_private.elf"), NULL};
    TuResult r;
    ck_assert_int_eq(tu_parsim(args, NULL, 60, &r), 0);
    ck_assert_msg(r.status == 0, "%s", r.err);
    ck_assert_ptr_nonnull(strstr(r.out, "rank 0 has 1000; 3 ranks\n"));
    tu_free(&r);
    /* -n wins over the ranks of a --machine given after it. */
    char *later[] = {"mpirun", "-n", "8", "--machine", "cluster16", "-q",
                     (char *)tu_built("tests/programs/mp_private.elf"), NULL};
    ck_assert_int_eq(tu_parsim(later, NULL, 60, &r), 0);
    ck_assert_msg(r.status == 0, "%s", r.err);
    ck_assert_ptr_nonnull(strstr(r.out, "rank 0 has 1000; 8 ranks\n"));
    tu_free(&r);
    char *bad[] = {"mpirun", (char *)tu_built("tests/programs/mp_private.elf"),
                   NULL};
    ck_assert_int_eq(tu_parsim(bad, NULL, 60, &r), 0);
    ck_assert_int_eq(r.status, 64);
    ck_assert_ptr_nonnull(strstr(r.err, "how many ranks"));
    tu_free(&r);
}
END_TEST

/* Hybrid: two cores per node, each rank a small shared-memory machine of
 * its own (its harts count from 0; its locks are its own). */
START_TEST(test_hybrid_nodes)
{
    char *args[] = {"run", "-q", "--ranks", "2", "--set",
                    "mp.cores_per_node=2",
                    (char *)tu_built("programs/threads/counter.elf"), "tas",
                    "200", NULL};
    TuResult r;
    ck_assert_int_eq(tu_parsim(args, NULL, 60, &r), 0);
    ck_assert_msg(r.status == 0, "%s", r.err);
    /* Both ranks print the same exact count for their two harts. */
    const char *a = strstr(r.out, "400");
    ck_assert_msg(a && strstr(a + 3, "400"), "%s", r.out);
    tu_free(&r);
}
END_TEST

START_TEST(test_too_many_cores)
{
    char *args[] = {"run", "-q", "--ranks", "40", "--set",
                    "mp.cores_per_node=2",
                    (char *)tu_built("tests/programs/mp_private.elf"), NULL};
    TuResult r;
    ck_assert_int_eq(tu_parsim(args, NULL, 60, &r), 0);
    ck_assert_int_eq(r.status, 64);
    ck_assert_ptr_nonnull(strstr(r.err, "mp.ranks x mp.cores_per_node"));
    tu_free(&r);
}
END_TEST

/* ---- errors and deadlocks: one line each, naming rank, call, line ------- */

/* The line of `file` (under tests/programs/) marked LINE in a comment. */
static int marked_line(const char *file)
{
    char path[256], buf[512];
    snprintf(path, sizeof path, "tests/programs/%s", file);
    FILE *f = fopen(path, "r");
    ck_assert_msg(f != NULL, "cannot open %s", path);
    int n = 0, at = -1;
    while (fgets(buf, sizeof buf, f)) {
        n++;
        if (strstr(buf, "/* LINE */"))
            at = n;
    }
    fclose(f);
    ck_assert_int_gt(at, 0);
    return at;
}

static void run_ranks(const char *elf, const char *ranks, TuResult *r)
{
    char *args[] = {"run", "-q", "--ranks", (char *)ranks,
                    (char *)tu_built(elf), NULL};
    ck_assert_int_eq(tu_parsim(args, NULL, 60, r), 0);
}

START_TEST(test_deadlock_report)
{
    TuResult r;
    run_ranks("tests/programs/mpi_deadlock.elf", "4", &r);
    ck_assert_int_eq(r.status, 71);
    int line = marked_line("mpi_deadlock.c");
    ck_assert_ptr_nonnull(strstr(r.err, "parsim: deadlock: every rank"));
    for (int k = 0; k < 4; k++) {
        char want[160];
        snprintf(want, sizeof want, "rank %d waits in MPI_Recv(source %d, "
                 "tag 3) at mpi_deadlock.c:%d\n", k, (k + 3) % 4, line);
        ck_assert_msg(strstr(r.err, want), "no \"%s\" in:\n%s", want, r.err);
    }
    tu_free(&r);
}
END_TEST

/* The unsafe send/send pair: both ranks in a rendezvous MPI_Send. */
START_TEST(test_unsafe_sendsend)
{
    char *args[] = {"run", "-q", "--ranks", "2",
                    (char *)tu_built("programs/mpi/sendsend.elf"), "unsafe",
                    NULL};
    TuResult r;
    ck_assert_int_eq(tu_parsim(args, NULL, 60, &r), 0);
    ck_assert_int_eq(r.status, 71);
    for (int k = 0; k < 2; k++) {
        char want[160];
        snprintf(want, sizeof want, "rank %d waits in MPI_Send(dest %d, tag",
                 k, 1 - k);
        ck_assert_msg(strstr(r.err, want), "no \"%s\" in:\n%s", want, r.err);
    }
    ck_assert_ptr_nonnull(strstr(r.err, "rendezvous, no matching receive"));
    tu_free(&r);
    /* Its fixes run. */
    static const char *const fixes[] = {"sendrecv", "nonblocking"};
    for (int i = 0; i < 2; i++) {
        char *fa[] = {"run", "-q", "--ranks", "2",
                      (char *)tu_built("programs/mpi/sendsend.elf"),
                      (char *)fixes[i], NULL};
        ck_assert_int_eq(tu_parsim(fa, NULL, 60, &r), 0);
        ck_assert_msg(r.status == 0, "%s: %s", fixes[i], r.err);
        tu_free(&r);
    }
}
END_TEST

static const struct {
    const char *prog, *ranks, *want;
    int status;
} errors[] = {
    {"mpi_truncate", "2", "parsim: MPI error: rank 1 in MPI_Recv at "
     "mpi_truncate.c:%d: message truncated: 400 bytes from rank 0 (tag 0) "
     "into a receive of 100 bytes\n", 70},
    {"mpi_badrank", "2", "parsim: MPI error: rank 0 in MPI_Send at "
     "mpi_badrank.c:%d: invalid destination rank 2", 70},
    {"mpi_count", "2", "in MPI_Bcast at mpi_count.c:%d: counts differ", 70},
    {"mpi_abort", "2", "parsim: rank 1 called MPI_Abort at mpi_abort.c:%d: "
     "exit status 3\n", 3},
};

START_TEST(test_error_report)
{
    char elf[128], src[64], want[512];
    snprintf(elf, sizeof elf, "tests/programs/%s.elf", errors[_i].prog);
    snprintf(src, sizeof src, "%s.c", errors[_i].prog);
    snprintf(want, sizeof want, errors[_i].want, marked_line(src));
    TuResult r;
    run_ranks(elf, errors[_i].ranks, &r);
    ck_assert_msg(r.status == errors[_i].status, "%s: status %d: %s",
                  errors[_i].prog, r.status, r.err);
    ck_assert_msg(strstr(r.err, want), "no \"%s\" in:\n%s", want, r.err);
    tu_free(&r);
}
END_TEST

/* ---- collectives: their algorithms in the figures ------------------------ */

/* Broadcast of 16 KiB on 8 ranks: the binomial tree against the root
 * sending 7 times. */
static uint64_t bcast_cycles(const char *how, const char *stats)
{
    char *args[] = {"run", "-q", "--machine", "cluster16", "--ranks", "8",
                    "--stats", (char *)stats,
                    (char *)tu_built("programs/mpi/bcast.elf"), (char *)how,
                    "1", NULL};
    TuResult r;
    ck_assert_int_eq(tu_parsim(args, NULL, 60, &r), 0);
    ck_assert_msg(r.status == 0, "%s", r.err);
    tu_free(&r);
    json_object *s = load(stats);
    uint64_t c = 0;
    json_object *sites;
    ck_assert(json_object_object_get_ex(s, "mpi_sites", &sites));
    /* Rank 0's cycles in its broadcast calls: MPI_Bcast or its sends. */
    for (size_t i = 0; i < json_object_array_length(sites); i++) {
        json_object *e = json_object_array_get_idx(sites, i), *call;
        ck_assert(json_object_object_get_ex(e, "call", &call));
        const char *name = json_object_get_string(call);
        if (get_i(e, "rank") == 0 &&
            (!strcmp(name, "MPI_Bcast") || !strcmp(name, "MPI_Send")))
            c += (uint64_t)get_i(e, "cycles");
    }
    json_object_put(s);
    return c;
}

START_TEST(test_bcast_tree_vs_linear)
{
    uint64_t tree = bcast_cycles("tree", tmp_file("tree.json"));
    uint64_t linear = bcast_cycles("linear", tmp_file("linear.json"));
    ck_assert_msg(tree > 0 && linear * 2 >= tree * 3,
                  "tree %llu cycles, linear %llu: not 1.5x",
                  (unsigned long long)tree, (unsigned long long)linear);
    /* log2(8) = 3 rounds: the root sends 3 messages in the tree and 7 in
     * the loop (the program's barrier and reductions around it are the
     * same in both runs); every other rank receives the data once. */
    json_object *t = load(tmp_file("tree.json"));
    json_object *l = load(tmp_file("linear.json"));
    ck_assert_int_eq(get_i(rank_of(l, 0), "messages_sent") -
                     get_i(rank_of(t, 0), "messages_sent"), 7 - 3);
    for (int k = 1; k < 8; k++)
        ck_assert_int_eq(get_i(rank_of(t, k), "messages_received"),
                         get_i(rank_of(l, k), "messages_received"));
    json_object_put(t);
    json_object_put(l);
}
END_TEST

/* ---- determinism -------------------------------------------------------------- */

START_TEST(test_deterministic)
{
    char *out[2] = {NULL, NULL};
    json_object *st[2], *root[2];
    for (int k = 0; k < 2; k++) {
        const char *stats = tmp_file(k ? "d1.json" : "d0.json");
        char *args[] = {"run", "-q", "--machine", "cluster16", "--ranks", "8",
                        "--stats", (char *)stats,
                        (char *)tu_built("programs/mpi/jacobi2d.elf"), "30",
                        "20", NULL};
        TuResult r;
        ck_assert_int_eq(tu_parsim(args, NULL, 60, &r), 0);
        ck_assert_msg(r.status == 0, "%s", r.err);
        out[k] = strdup(r.out);
        tu_free(&r);
        root[k] = load(stats);
        ck_assert(json_object_object_get_ex(root[k], "ranks", &st[k]));
    }
    ck_assert_str_eq(out[0], out[1]);
    ck_assert_str_eq(json_object_to_json_string(st[0]),
                     json_object_to_json_string(st[1]));
    for (int k = 0; k < 2; k++) {
        free(out[k]);
        json_object_put(root[k]);
    }
}
END_TEST

/* ---- the differential suite: parsim against Open MPI ---------------------- */

typedef struct Case {
    char name[64], ranks[8], args[128];
} Case;

static Case cases[128];
static int ncases;

static void read_cases(void)
{
    FILE *f = fopen("tests/mpi_cases.txt", "r");
    if (!f)
        return;
    char line[256];
    while (fgets(line, sizeof line, f) && ncases < 128) {
        Case *c = &cases[ncases];
        int used = 0;
        if (line[0] == '#' ||
            sscanf(line, "%63s %7s %n", c->name, c->ranks, &used) < 2)
            continue;
        snprintf(c->args, sizeof c->args, "%s", line + used);
        c->args[strcspn(c->args, "\n")] = 0;
        ncases++;
    }
    fclose(f);
}

/* Split args on spaces into v (at most max - 1 words). */
static int split(char *args, char **v, int max)
{
    int n = 0;
    for (char *w = strtok(args, " "); w && n < max - 1; w = strtok(NULL, " "))
        v[n++] = w;
    v[n] = NULL;
    return n;
}

/* Lines not starting with '#' (measured times). */
static char *results(const char *out)
{
    char *r = malloc(strlen(out) + 1), *o = r;
    for (const char *p = out; *p;) {
        const char *nl = strchr(p, '\n');
        size_t len = nl ? (size_t)(nl - p) + 1 : strlen(p);
        if (*p != '#') {
            memcpy(o, p, len);
            o += len;
        }
        p += len;
    }
    *o = 0;
    return r;
}

/* programs/mpi/NAME.c built with Open MPI's mpicc, once per run. */
static const char *host_binary(const char *name)
{
    static char path[512];
    snprintf(path, sizeof path, "%s", tmp_file(name));
    if (access(path, X_OK) == 0)
        return path;
    char src[256];
    snprintf(src, sizeof src, "programs/mpi/%s.c", name);
    char *args[] = {"mpicc", "-O2", "-std=c11", "-Wall", "-Wextra", "-Werror",
                    src, "-o", path, "-lm", NULL};
    TuResult r;
    ck_assert_msg(tu_run(args, NULL, 120, &r) == 0,
                  "mpicc is missing (scripts/install-deps installs "
                  "openmpi-bin and libopenmpi-dev)");
    ck_assert_msg(r.status == 0, "mpicc %s: %s", src, r.err);
    tu_free(&r);
    return path;
}

START_TEST(test_same_as_open_mpi)
{
    Case c = cases[_i];
    char elf[128];
    snprintf(elf, sizeof elf, "programs/mpi/%s.elf", c.name);
    char a1[128], a2[128];
    snprintf(a1, sizeof a1, "%s", c.args);
    snprintf(a2, sizeof a2, "%s", c.args);
    char *pv[32] = {"run", "-q", "--ranks", c.ranks, (char *)tu_built(elf)};
    split(a1, pv + 5, 27);
    TuResult p, o;
    ck_assert_int_eq(tu_parsim(pv, NULL, 300, &p), 0);
    ck_assert_msg(p.status == 0, "%s %s on %s ranks: %s", c.name, c.args,
                  c.ranks, p.err);
    char *ov[40] = {"mpirun", "--allow-run-as-root", "--oversubscribe",
                    "--mca", "btl", "self,vader", "-n", c.ranks,
                    (char *)host_binary(c.name)};
    split(a2, ov + 9, 31);
    ck_assert_int_eq(tu_run(ov, NULL, 120, &o), 0);
    ck_assert_msg(o.status == 0, "mpirun %s: status %d: %s", c.name,
                  o.status, o.err);
    char *rp = results(p.out), *ro = results(o.out);
    ck_assert_msg(strcmp(rp, ro) == 0, "%s %s on %s ranks:\nparsim:\n%s\n"
                  "Open MPI:\n%s", c.name, c.args, c.ranks, rp, ro);
    ck_assert_msg(*rp, "%s printed nothing", c.name);
    free(rp);
    free(ro);
    tu_free(&p);
    tu_free(&o);
}
END_TEST

/* Parallel mode (several host threads): the same results. */
START_TEST(test_parallel_mode)
{
    char *out[2];
    for (int k = 0; k < 2; k++) {
        char *args[] = {"run", "-q", "--ranks", "8", "--host-threads",
                        k ? "2" : "1",
                        (char *)tu_built("programs/mpi/oddeven_sort.elf"),
                        "1001", NULL};
        TuResult r;
        ck_assert_int_eq(tu_parsim(args, NULL, 60, &r), 0);
        ck_assert_msg(r.status == 0, "%s", r.err);
        out[k] = results(r.out);
        tu_free(&r);
    }
    ck_assert_str_eq(out[0], out[1]);
    free(out[0]);
    free(out[1]);
}
END_TEST

/* ---- suite ---------------------------------------------------------------------- */

Suite *mpi_suite(void)
{
    Suite *s = suite_create("mpi");
    TCase *t = tcase_create("interfaces");
    tcase_set_timeout(t, 120);
    tcase_add_loop_test(t, test_pingpong_formula, 0,
                        (int)(sizeof pp_sizes / sizeof pp_sizes[0]));
    tcase_add_test(t, test_formula_by_hand);
    tcase_add_test(t, test_pingpong_bandwidth);
    suite_add_tcase(s, t);
    t = tcase_create("machine");
    tcase_set_timeout(t, 120);
    tcase_add_test(t, test_private_memory);
    tcase_add_test(t, test_mpirun_alias);
    tcase_add_test(t, test_hybrid_nodes);
    tcase_add_test(t, test_too_many_cores);
    tcase_add_test(t, test_deterministic);
    tcase_add_test(t, test_parallel_mode);
    suite_add_tcase(s, t);
    t = tcase_create("errors");
    tcase_set_timeout(t, 120);
    tcase_add_test(t, test_deadlock_report);
    tcase_add_test(t, test_unsafe_sendsend);
    tcase_add_loop_test(t, test_error_report, 0,
                        (int)(sizeof errors / sizeof errors[0]));
    suite_add_tcase(s, t);
    t = tcase_create("collectives");
    tcase_set_timeout(t, 120);
    tcase_add_test(t, test_bcast_tree_vs_linear);
    suite_add_tcase(s, t);
    read_cases();
    t = tcase_create("open_mpi");
    tcase_set_timeout(t, 600);
    tcase_add_loop_test(t, test_same_as_open_mpi, 0, ncases);
    suite_add_tcase(s, t);
    return s;
}
