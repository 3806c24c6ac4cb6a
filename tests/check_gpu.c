/* check_gpu.c — the SIMT GPU array end to end: every programs/gpu kernel
 * against its CPU reference, the coalescer's and the banks' exact counts
 * in the statistics, the classic effects (the reduction sequence, the
 * transposes, divergence, atomics, the copy), determinism, the parallel
 * scheduler, and the messages of bad launches and faults in kernels.
 */
#include <check.h>
#include <json-c/json.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "tests/testutil.h"

static char tmpdir[256];

static const char *tmp_file(const char *name)
{
    static char buf[4][512];
    static int k;
    if (!tmpdir[0]) {
        snprintf(tmpdir, sizeof tmpdir, "/tmp/parsim-gpu-XXXXXX");
        ck_assert_ptr_nonnull(mkdtemp(tmpdir));
    }
    k = (k + 1) % 4;
    snprintf(buf[k], sizeof buf[k], "%s/%s", tmpdir, name);
    return buf[k];
}

static int64_t get_i(json_object *o, const char *key)
{
    json_object *v;
    ck_assert_msg(json_object_object_get_ex(o, key, &v), "no %s", key);
    return json_object_get_int64(v);
}

/* The kernel named `name` in a --stats file. */
static json_object *kernel_of(json_object *stats, const char *name)
{
    json_object *gpu, *ks;
    ck_assert(json_object_object_get_ex(stats, "gpu", &gpu));
    ck_assert(json_object_object_get_ex(gpu, "kernels", &ks));
    for (size_t i = 0; i < json_object_array_length(ks); i++) {
        json_object *k = json_object_array_get_idx(ks, i), *n;
        if (json_object_object_get_ex(k, "kernel", &n) &&
            !strcmp(json_object_get_string(n), name))
            return k;
    }
    ck_abort_msg("no kernel %s in the statistics", name);
    return NULL;
}

/* Run a program (extra options first), expecting `status`. */
static void run(TuResult *r, int status, const char *opt1, const char *opt2,
                const char *elf, const char *arg)
{
    char *args[10];
    int n = 0;
    args[n++] = "run";
    args[n++] = "-q";
    if (opt1)
        args[n++] = (char *)opt1;
    if (opt2)
        args[n++] = (char *)opt2;
    args[n++] = (char *)tu_built(elf);
    if (arg)
        args[n++] = (char *)arg;
    args[n] = NULL;
    ck_assert_int_eq(tu_parsim(args, NULL, 120, r), 0);
    ck_assert_msg(r->status == status, "%s %s: status %d, want %d: %s%s", elf,
                  arg ? arg : "", r->status, status, r->out, r->err);
}

/* ---- every program's kernels against the CPU ---------------------------------- */

static const struct {
    const char *elf, *arg, *opt, *want;
} programs[] = {
    {"programs/gpu/vecadd.elf", "20000", NULL, "vecadd: 20000 elements, 0 wrong"},
    {"programs/gpu/saxpy.elf", "30000", NULL, ", 0 wrong"},
    {"programs/gpu/reduce.elf", "16384", NULL, "all kernels agree"},
    {"programs/gpu/transpose.elf", "64", NULL, "all three agree"},
    {"programs/gpu/matmul.elf", "32", NULL, "both agree"},
    {"programs/gpu/histogram.elf", "20000", NULL, "both agree"},
    {"programs/gpu/divergence.elf", NULL, NULL, "; 0 wrong"},
    {"programs/gpu/copy.elf", "4096", "--set=gpu.memory=discrete",
     "; 0 wrong"},
    {"programs/gpu/copy.elf", "4096", NULL, "unified GPU memory"},
    /* The gpu preset: 8 SMs, discrete memory (every program copies). */
    {"programs/gpu/vecadd.elf", "20000", "--machine=gpu", ", 0 wrong"},
    {"programs/gpu/saxpy.elf", "30000", "--machine=gpu", ", 0 wrong"},
    {"programs/gpu/reduce.elf", "16384", "--machine=gpu", "all kernels agree"},
    {"programs/gpu/transpose.elf", "64", "--machine=gpu", "all three agree"},
    {"programs/gpu/matmul.elf", "32", "--machine=gpu", "both agree"},
    {"programs/gpu/histogram.elf", "20000", "--machine=gpu", "both agree"},
    {"programs/gpu/divergence.elf", NULL, "--machine=gpu", "; 0 wrong"},
    {"programs/gpu/copy.elf", "4096", "--machine=gpu", "discrete GPU memory"},
};

START_TEST(test_program)
{
    TuResult r;
    run(&r, 0, programs[_i].opt, NULL, programs[_i].elf, programs[_i].arg);
    ck_assert_msg(strstr(r.out, programs[_i].want), "%s: %s",
                  programs[_i].elf, r.out);
    tu_free(&r);
}
END_TEST

/* ---- exact counts: one warp, one access ---------------------------------------- */

static const struct {
    const char *kernel;
    int64_t requests, sectors;        /* global loads */
    int64_t worst, extra;             /* shared: worst degree, extra cycles */
} exact[] = {
    {"stride1", 1, 4, 0, 0},          /* 32 x 4 bytes: 4 sectors */
    {"stride2", 1, 8, 0, 0},
    {"stride32", 1, 32, 0, 0},        /* 12.5 % of the bytes used */
    {"offset1", 1, 5, 0, 0},          /* misaligned by a word */
    {"same_word", 1, 1, 0, 0},
    {"bank1", 0, 0, 1, 0},            /* conflict-free */
    {"bank2", 0, 0, 2, 1},            /* two-way */
    {"bank32", 0, 0, 32, 31},         /* 32-way */
    {"bank_padded", 0, 0, 1, 0},      /* a [32][33] column */
    {"bank_broadcast", 0, 0, 1, 0},   /* one word: a broadcast */
};

START_TEST(test_exact_counts)
{
    const char *stats = tmp_file("exact.json");
    char opt[600];
    snprintf(opt, sizeof opt, "--stats=%s", stats);
    TuResult r;
    run(&r, 0, opt, NULL, "tests/programs/gpu_cases.elf", exact[_i].kernel);
    ck_assert_str_eq(r.out, "ok\n");
    tu_free(&r);
    json_object *s = json_object_from_file(stats);
    ck_assert_ptr_nonnull(s);
    json_object *k = kernel_of(s, exact[_i].kernel);
    ck_assert_int_eq(get_i(k, "load_requests"), exact[_i].requests);
    ck_assert_int_eq(get_i(k, "load_transactions"), exact[_i].sectors);
    ck_assert_int_eq(get_i(k, "bank_conflict_worst"), exact[_i].worst);
    ck_assert_int_eq(get_i(k, "bank_conflict_cycles"), exact[_i].extra);
    ck_assert_int_eq(get_i(k, "warp_instructions") * 32,
                     get_i(k, "lane_instructions"));   /* no divergence */
    json_object_put(s);
}
END_TEST

/* ---- the classic effects ------------------------------------------------------------ */

/* The numbers after `key` on each line of out that has it. */
static int numbers_after(const char *out, const char *key, double *v, int max)
{
    int n = 0;
    for (const char *p = strstr(out, key); p && n < max;
         p = strstr(p + 1, key))
        v[n++] = strtod(p + strlen(key), NULL);
    return n;
}

START_TEST(test_reduction_sequence)
{
    TuResult r;
    run(&r, 0, NULL, NULL, "programs/gpu/reduce.elf", "65536");
    /* "  1 interleaved, divergent     302002   1.00x ..." */
    double c[5];
    static const char *const names[] = {
        "1 interleaved, divergent", "2 interleaved, bank conflicts",
        "3 sequential addressing", "4 first add during load",
        "5 last warp unrolled"};
    for (int i = 0; i < 5; i++) {
        ck_assert_int_eq(numbers_after(r.out, names[i], &c[i], 1), 1);
        if (i)
            ck_assert_msg(c[i] < c[i - 1], "kernel %d (%.0f cycles) is not "
                          "faster than kernel %d (%.0f)", i + 1, c[i], i,
                          c[i - 1]);
    }
    /* The whole sequence gains several times, as in the paper. */
    ck_assert_msg(c[0] / c[4] > 4.0, "1 -> 5: only %.2fx", c[0] / c[4]);
    tu_free(&r);
}
END_TEST

START_TEST(test_transpose_order)
{
    TuResult r;
    run(&r, 0, NULL, NULL, "programs/gpu/transpose.elf", "128");
    double naive, tiled, padded;
    ck_assert_int_eq(numbers_after(r.out, "naive", &naive, 1), 1);
    ck_assert_int_eq(numbers_after(r.out, "shared tile", &tiled, 1), 1);
    ck_assert_int_eq(numbers_after(r.out, "padded tile", &padded, 1), 1);
    ck_assert_msg(naive > tiled && tiled > padded,
                  "naive %.0f, tiled %.0f, padded %.0f", naive, tiled, padded);
    tu_free(&r);
}
END_TEST

START_TEST(test_divergence_costs_twice)
{
    const char *stats = tmp_file("div.json");
    char opt[600];
    snprintf(opt, sizeof opt, "--stats=%s", stats);
    TuResult r;
    run(&r, 0, opt, NULL, "programs/gpu/divergence.elf", NULL);
    double ratio;
    ck_assert_int_eq(numbers_after(r.out, "ratio ", &ratio, 1), 1);
    ck_assert_msg(ratio > 1.7 && ratio < 2.3, "ratio %.2f", ratio);
    tu_free(&r);
    json_object *s = json_object_from_file(stats);
    json_object *lane = kernel_of(s, "by_lane"), *warp = kernel_of(s, "by_warp");
    ck_assert_int_gt(get_i(lane, "divergent_branches"), 0);
    ck_assert_int_eq(get_i(warp, "divergent_branches"), 0);
    json_object *v;
    ck_assert(json_object_object_get_ex(lane, "simd_efficiency", &v));
    ck_assert_double_lt(json_object_get_double(v), 0.6);
    ck_assert(json_object_object_get_ex(warp, "simd_efficiency", &v));
    ck_assert_double_eq_tol(json_object_get_double(v), 1.0, 1e-9);
    /* The most divergent line is the lane-parity branch. */
    ck_assert(json_object_object_get_ex(lane, "most_divergent", &v));
    ck_assert_ptr_nonnull(strstr(json_object_get_string(v), "divergence.c:"));
    json_object_put(s);
}
END_TEST

START_TEST(test_histogram_shared_faster)
{
    TuResult r;
    run(&r, 0, NULL, NULL, "programs/gpu/histogram.elf", "32768");
    double g, s;
    ck_assert_int_eq(numbers_after(r.out, "global atomics", &g, 1), 1);
    ck_assert_int_eq(numbers_after(r.out, "shared atomics", &s, 1), 1);
    ck_assert_msg(s < g, "shared %.0f, global %.0f", s, g);
    tu_free(&r);
}
END_TEST

START_TEST(test_copy_costs_more)
{
    TuResult r;
    run(&r, 0, "--set=gpu.memory=discrete", NULL, "programs/gpu/copy.elf",
        "65536");
    double ratio;
    ck_assert_int_eq(numbers_after(r.out, "copies / kernel = ", &ratio, 1), 1);
    ck_assert_msg(ratio > 2.0, "copies / kernel %.2f", ratio);
    tu_free(&r);
}
END_TEST

START_TEST(test_atomics_and_spinlock)
{
    TuResult r;
    run(&r, 0, NULL, NULL, "tests/programs/gpu_cases.elf", "atomics");
    ck_assert_msg(!strncmp(r.out, "ok:", 3), "%s", r.out);
    tu_free(&r);
    /* Lanes of one warp taking one lock: the starved path gets its turn. */
    run(&r, 0, "--max-cycles=20000000", NULL, "tests/programs/gpu_cases.elf",
        "spinlock");
    ck_assert_str_eq(r.out, "ok: 128\n");
    tu_free(&r);
}
END_TEST

/* The GPU's misses and the cores' queue at one memory: a core's walk
 * through a cold array is slower while a memory-bound kernel runs. */
START_TEST(test_shared_memory_contention)
{
    TuResult r;
    double alone, busy;
    run(&r, 0, NULL, NULL, "tests/programs/gpu_contend.elf", "alone");
    ck_assert_int_eq(numbers_after(r.out, "walk ", &alone, 1), 1);
    tu_free(&r);
    run(&r, 0, NULL, NULL, "tests/programs/gpu_contend.elf", "busy");
    ck_assert_int_eq(numbers_after(r.out, "walk ", &busy, 1), 1);
    tu_free(&r);
    ck_assert_msg(busy > 1.2 * alone, "walk alone %.0f, with the kernel %.0f",
                  alone, busy);
}
END_TEST

/* ---- determinism, the parallel scheduler ---------------------------------------------- */

static char *gpu_json(const char *path)
{
    json_object *s = json_object_from_file(path), *g;
    ck_assert_ptr_nonnull(s);
    ck_assert(json_object_object_get_ex(s, "gpu", &g));
    char *t = strdup(json_object_to_json_string(g));
    json_object_put(s);
    return t;
}

START_TEST(test_deterministic)
{
    const char *a = tmp_file("det_a.json"), *b = tmp_file("det_b.json");
    char oa[600], ob[600];
    snprintf(oa, sizeof oa, "--stats=%s", a);
    snprintf(ob, sizeof ob, "--stats=%s", b);
    TuResult r1, r2;
    run(&r1, 0, oa, NULL, "programs/gpu/reduce.elf", "16384");
    run(&r2, 0, ob, NULL, "programs/gpu/reduce.elf", "16384");
    ck_assert_str_eq(r1.out, r2.out);
    char *ja = gpu_json(a), *jb = gpu_json(b);
    ck_assert_str_eq(ja, jb);
    free(ja);
    free(jb);
    tu_free(&r1);
    tu_free(&r2);
}
END_TEST

START_TEST(test_parallel_mode)
{
    TuResult r;
    run(&r, 0, "--host-threads=2", "--cores=4", "programs/gpu/reduce.elf",
        "16384");
    ck_assert_ptr_nonnull(strstr(r.out, "all kernels agree"));
    tu_free(&r);
}
END_TEST

/* ---- bad launches and faults: one line naming why and where ------------------------ */

static const struct {
    const char *arg, *opt;
    int status;
    const char *want[3];
} errors[] = {
    {"zero_block", NULL, 70, {"no dimension may be 0", "gpu_cases.c:", NULL}},
    {"big_block", NULL, 70, {"a block of 2048 threads", "at most 1024", NULL}},
    {"bad_kernel", NULL, 70, {"kernel 0x00001234 is not a function", NULL}},
    {"wild", NULL, 70, {"kernel wild, block (1,0,0), thread (3,0,0)",
                        "gpu_cases.c:", "address 0x00000010"}},
    {"printf", NULL, 70, {"not available inside a kernel", "kernel prints",
                          NULL}},
    {"host_memory", "--set=gpu.memory=discrete", 70,
     {"is host memory", "gpu_malloc", "kernel reads"}},
    {"host_shared", NULL, 70, {"smem", "store outside memory", NULL}},
    {"recurse", NULL, 70, {"GPU: stack overflow: kernel recurse",
                           "gpu_cases.c:", "gpu.stack_size = 2048"}},
    {"stride1", "--set=gpu.sms=0", 70, {"no GPU array", NULL}},
};

START_TEST(test_error_message)
{
    TuResult r;
    run(&r, errors[_i].status, errors[_i].opt, NULL,
        "tests/programs/gpu_cases.elf", errors[_i].arg);
    for (int k = 0; k < 3 && errors[_i].want[k]; k++)
        ck_assert_msg(strstr(r.err, errors[_i].want[k]), "%s: no '%s' in: %s",
                      errors[_i].arg, errors[_i].want[k], r.err);
    ck_assert_msg(!strstr(r.out, "not reached"), "%s ran on", errors[_i].arg);
    /* One line. */
    ck_assert_ptr_eq(strchr(r.err, '\n'), r.err + strlen(r.err) - 1);
    tu_free(&r);
}
END_TEST

START_TEST(test_config_errors)
{
    static const char *const bad[] = {
        "--set=gpu.l1_assoc=1000", "--set=gpu.l2_size=3000",
        "--set=gpu.warp_size=33", "--set=gpu.scheduler=fifo",
        "--set=gpu.registers_per_sm=1024",
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        TuResult r;
        run(&r, 64, bad[i], NULL, "programs/gpu/vecadd.elf", NULL);
        ck_assert_msg(strstr(r.err, "gpu."), "%s: %s", bad[i], r.err);
        tu_free(&r);
    }
    TuResult r;
    run(&r, 64, "--set=gpu.sms=2", "--ranks=2", "programs/gpu/vecadd.elf",
        NULL);
    ck_assert_ptr_nonnull(strstr(r.err, "no GPU array"));
    tu_free(&r);
}
END_TEST

Suite *gpu_suite(void)
{
    Suite *s = suite_create("gpu");
    TCase *t = tcase_create("programs");
    tcase_set_timeout(t, 300);
    tcase_add_loop_test(t, test_program, 0,
                        (int)(sizeof programs / sizeof programs[0]));
    tcase_add_loop_test(t, test_exact_counts, 0,
                        (int)(sizeof exact / sizeof exact[0]));
    suite_add_tcase(s, t);
    t = tcase_create("effects");
    tcase_set_timeout(t, 300);
    tcase_add_test(t, test_reduction_sequence);
    tcase_add_test(t, test_transpose_order);
    tcase_add_test(t, test_divergence_costs_twice);
    tcase_add_test(t, test_histogram_shared_faster);
    tcase_add_test(t, test_copy_costs_more);
    tcase_add_test(t, test_atomics_and_spinlock);
    tcase_add_test(t, test_shared_memory_contention);
    tcase_add_test(t, test_deterministic);
    tcase_add_test(t, test_parallel_mode);
    suite_add_tcase(s, t);
    t = tcase_create("errors");
    tcase_set_timeout(t, 120);
    tcase_add_loop_test(t, test_error_message, 0,
                        (int)(sizeof errors / sizeof errors[0]));
    tcase_add_test(t, test_config_errors);
    suite_add_tcase(s, t);
    return s;
}
