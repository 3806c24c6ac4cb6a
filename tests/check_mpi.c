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
    suite_add_tcase(s, t);
    return s;
}
