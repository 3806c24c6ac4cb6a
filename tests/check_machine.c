/* check_machine.c — many harts end to end: determinism, races that lose
 * updates and locks that do not, the deadlock report, hardware threads
 * hiding each other's stalls, parallel mode, machine files, console lines
 * kept whole, and a freestanding QEMU-style SMP program. */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "sim/machine.h"
#include "tests/testutil.h"

static TuResult res;

static void teardown_res(void) { tu_free(&res); }

static const char *elf(const char *rel)
{
    return tu_built(rel);
}

static void run(char *const args[])
{
    ck_assert_int_eq(tu_parsim(args, NULL, 120, &res), 0);
}

static char *slurp(const char *path)
{
    FILE *f = fopen(path, "rb");
    ck_assert_msg(f != NULL, "cannot read %s", path);
    static char buf[1 << 20];
    size_t n = fread(buf, 1, sizeof buf - 1, f);
    fclose(f);
    buf[n] = 0;
    return strdup(buf);
}

/* The statistics without their "config" object: --host-threads=1 and the
 * default differ there (run.host_threads), as they should, and nowhere
 * else. */
static char *without_config(char *st)
{
    char *a = st ? strstr(st, "\n  \"config\": {") : NULL;
    char *b = a ? strstr(a, "\n  }") : NULL;
    if (b)
        memmove(a, b + 4, strlen(b + 4) + 1);
    return st;
}

/* ---- determinism ---------------------------------------------------------- */

/* Every shipped multi-hart program, on the same machine: byte-identical
 * output and statistics, run after run, and --host-threads 1 is the
 * default mode. */
static const char *const shipped[][2] = {
    {"racy_counter", "--cores=8"},   {"counter", "--cores=4"},
    {"prodcons_sem", "--cores=4"},   {"prodcons_cond", "--cores=4"},
    {"barrier_phases", "--cores=8"}, {"event_demo", "--cores=4"},
    {"thread_pool_sum", "--cores=4"}, {"array_sum_spmd", "--cores=8"},
    {"matmul_spmd", "--cores=8"},    {"smt_demo", "--machine=smt4x2"},
};

START_TEST(test_deterministic_repeats)
{
    char rel[128];
    snprintf(rel, sizeof rel, "programs/threads/%s.elf", shipped[_i][0]);
    const char *prog = elf(rel);
    char *first_out = NULL, *first_stats = NULL;
    for (int i = 0; i < 4; i++) {
        char stats[64];
        snprintf(stats, sizeof stats, "/tmp/parsim-det-%d-%d.json",
                 (int)getpid(), i);
        char *a[] = {"run", "-q", (char *)shipped[_i][1], "--stats", stats,
                     i == 3 ? "--host-threads=1" : "-q", (char *)prog, NULL};
        run(a);
        ck_assert_msg(res.status == 0, "%s: status %d: %s", shipped[_i][0],
                      res.status, res.err);
        char *st = without_config(slurp(stats));
        unlink(stats);
        if (!first_out) {
            first_out = strdup(res.out);
            first_stats = st;
        } else {
            ck_assert_str_eq(res.out, first_out);
            ck_assert_str_eq(st, first_stats);
            free(st);
        }
        tu_free(&res);
    }
    ck_assert_ptr_nonnull(strstr(first_stats, "\"schema\": \"parsim-stats-1\""));
    ck_assert_ptr_nonnull(strstr(first_stats, "\"mode\": \"deterministic\""));
    free(first_out);
    free(first_stats);
}
END_TEST

/* Pausing never changes the run: a run cut by snapshots (as the window
 * steps it) gives the same output and statistics as a plain run. */
START_TEST(test_pauses_change_nothing)
{
    const char *prog = elf("programs/threads/counter.elf");
    char *first_out = NULL, *first_stats = NULL;
    for (int i = 0; i < 2; i++) {
        char stats[64], shot1[64], shot2[64];
        snprintf(stats, sizeof stats, "/tmp/parsim-pause-%d-%d.json",
                 (int)getpid(), i);
        snprintf(shot1, sizeof shot1, "50000:/tmp/parsim-pause-%d-a.png",
                 (int)getpid());
        snprintf(shot2, sizeof shot2, "150123:/tmp/parsim-pause-%d-b.png",
                 (int)getpid());
        char *plain[] = {"run", "-q", "--cores", "4", "--stats", stats,
                         (char *)prog, "all", "200", NULL};
        char *cut[] = {"run", "-q", "--cores", "4", "--stats", stats,
                       "--snapshot", shot1, "--snapshot", shot2,
                       (char *)prog, "all", "200", NULL};
        run(i ? cut : plain);
        ck_assert_msg(res.status == 0, "status %d: %s", res.status, res.err);
        char *st = without_config(slurp(stats));
        unlink(stats);
        if (!first_out) {
            first_out = strdup(res.out);
            first_stats = st;
        } else {
            ck_assert_str_eq(res.out, first_out);
            ck_assert_str_eq(st, first_stats);
            free(st);
        }
        tu_free(&res);
    }
    free(first_out);
    free(first_stats);
    char path[64];
    snprintf(path, sizeof path, "/tmp/parsim-pause-%d-a.png", (int)getpid());
    unlink(path);
    snprintf(path, sizeof path, "/tmp/parsim-pause-%d-b.png", (int)getpid());
    unlink(path);
}
END_TEST

/* ---- races and locks --------------------------------------------------------- */

START_TEST(test_racy_counter_loses_updates)
{
    char *a[] = {"run", "-q", "--cores", "4",
                 (char *)elf("programs/threads/racy_counter.elf"), NULL};
    run(a);
    ck_assert_int_eq(res.status, 0);
    unsigned expected, got, lost;
    const char *p = strstr(res.out, "expected ");
    ck_assert_ptr_nonnull(p);
    ck_assert_int_eq(sscanf(p, "expected %u, got %u (%u updates lost)",
                            &expected, &got, &lost), 3);
    ck_assert_uint_eq(expected, 40000);
    ck_assert_uint_lt(got, expected);
    ck_assert_uint_eq(expected - got, lost);
    ck_assert_uint_gt(lost, 1000);
}
END_TEST

/* Every lock keeps the counter exact, in both modes. */
static const char *const modes[][2] = {{"--host-threads", "1"},
                                       {"--host-threads", "2"}};

START_TEST(test_locked_counters_exact)
{
    char *a[] = {"run", "-q", "--cores", "4", (char *)modes[_i][0],
                 (char *)modes[_i][1],
                 (char *)elf("programs/threads/counter.elf"), NULL};
    run(a);
    ck_assert_int_eq(res.status, 0);
    static const char *const locks[] = {"tas", "ttas", "backoff", "ticket",
                                        "array", "mcs", "mutex", "rmutex",
                                        "semaphore"};
    for (size_t i = 0; i < sizeof locks / sizeof locks[0]; i++) {
        char want[64];
        snprintf(want, sizeof want, "\n%-10s count 4000 of 4000 exact",
                 locks[i]);
        ck_assert_msg(strstr(res.out, want) != NULL, "%s not exact:\n%s",
                      locks[i], res.out);
    }
}
END_TEST

/* Mutual exclusion under stress: 8 harts, every lock and barrier, the
 * protected invariants checked inside the critical sections. */
START_TEST(test_mutual_exclusion_stress)
{
    char *a[] = {"run", "-q", "--cores", "8", (char *)modes[_i][0],
                 (char *)modes[_i][1],
                 (char *)elf("tests/programs/mt_stress.elf"), NULL};
    run(a);
    ck_assert_msg(res.status == 0, "status %d:\n%s%s", res.status, res.out,
                  res.err);
    ck_assert_ptr_null(strstr(res.out, "FAIL"));
    ck_assert_ptr_nonnull(strstr(res.out, "mcs        OK"));
}
END_TEST

/* The per-lock statistics name locks by their ELF symbol. */
START_TEST(test_lock_stats)
{
    char stats[64];
    snprintf(stats, sizeof stats, "/tmp/parsim-locks-%d.json", (int)getpid());
    char *a[] = {"run", "--cores", "4", "--stats", stats,
                 (char *)elf("programs/threads/counter.elf"), "ticket", NULL};
    run(a);
    ck_assert_int_eq(res.status, 0);
    char *st = slurp(stats);
    unlink(stats);
    ck_assert_ptr_nonnull(strstr(st, "\"symbol\": \"ticket+0\", \"kind\": "
                                     "\"ticket\", \"acquisitions\": 4000,"));
    /* A ticket lock under contention is handed from core to core. */
    ck_assert_ptr_nonnull(strstr(res.err, "ticket+0"));
    free(st);
}
END_TEST

/* ---- the deadlock report --------------------------------------------------- */

START_TEST(test_deadlock_report)
{
    char *a[] = {"run", "-q", "--cores", "2", (char *)modes[_i][0],
                 (char *)modes[_i][1],
                 (char *)elf("tests/programs/mt_deadlock.elf"), NULL};
    if (_i == 1)
        a[5] = "2";
    run(a);
    ck_assert_int_eq(res.status, SIM_EXIT_DEADLOCK);
    ck_assert_ptr_nonnull(strstr(res.err, "parsim: deadlock: all 2 harts "
                                          "are blocked"));
    const char *h0 = strstr(res.err, "hart 0 (core 0)");
    const char *h1 = strstr(res.err, "hart 1 (core 1)");
    ck_assert_ptr_nonnull(h0);
    ck_assert_ptr_nonnull(h1);
    ck_assert_ptr_nonnull(strstr(h0, "trying to take mutex 0x"));
    ck_assert_msg(strstr(res.err, "(lock_b+0) held by hart 1") &&
                      strstr(res.err, "(lock_a+0) held by hart 0"),
                  "%s", res.err);
    /* The program's own lines, found by unwinding out of the runtime. */
    ck_assert_msg(strstr(h0, "called from main+") &&
                      strstr(h0, "(mt_deadlock.c:38)") &&
                      strstr(h1, "called from other+") &&
                      strstr(h1, "(mt_deadlock.c:19)"),
                  "%s", res.err);
}
END_TEST

/* ---- LR/SC between harts ------------------------------------------------------ */

/* Two harts take turns: hart 0 reserves a word, hart 1 writes near it (or
 * does not), hart 0's SC says whether the reservation lived.  The ABA
 * cases fail, which an SC comparing values would let through; exact in
 * either mode; core.reservation_bytes moves the line between a store
 * that kills and one that does not. */
static const struct {
    const char *mode[2], *set;
    const char *near, *far;       /* "a store 8 / 64 bytes away" */
} lrsc_runs[] = {
    {{"--host-threads", "1"}, "core.reservation_bytes=64", "fails, word 41",
     "succeeds, word 42"},
    {{"--host-threads", "2"}, "core.reservation_bytes=64", "fails, word 41",
     "succeeds, word 42"},
    {{"--host-threads", "1"}, "core.reservation_bytes=4",
     "succeeds, word 42", "succeeds, word 42"},
    {{"--host-threads", "2"}, "core.reservation_bytes=4096",
     "fails, word 41", "fails, word 41"},
};

START_TEST(test_lrsc_aba_two_harts)
{
    char *a[] = {"run", "-q", "--cores", "2",
                 (char *)lrsc_runs[_i].mode[0], (char *)lrsc_runs[_i].mode[1],
                 "--set", (char *)lrsc_runs[_i].set,
                 (char *)elf("tests/programs/lrsc_aba.elf"), NULL};
    run(a);
    ck_assert_msg(res.status == 0, "status %d: %s", res.status, res.err);
    char want[1024];
    snprintf(want, sizeof want,
             "nothing in between           sc.w succeeds, word 42\n"
             "a load of the word           sc.w succeeds, word 42\n"
             "a store 64 bytes away        sc.w %s\n"
             "a store 8 bytes away         sc.w %s\n"
             "a store of 50, then of 41    sc.w fails, word 41\n"
             "amoadd +1, then amoadd -1    sc.w fails, word 41\n"
             "an lr.w/sc.w writing 41      sc.w fails, word 41\n",
             lrsc_runs[_i].far, lrsc_runs[_i].near);
    ck_assert_str_eq(res.out, want);
}
END_TEST

/* A reservation set that is not a power of two is refused, naming the
 * key. */
START_TEST(test_lrsc_bytes_checked)
{
    static const char *const bad[][2] = {
        {"core.reservation_bytes=48", "core.reservation_bytes: 48 is not a "
                                      "power of two"},
        {"core.reservation_bytes=2", "core.reservation_bytes: 2 is out of "
                                     "range [4, 4096]"},
        {"core.reservation_bytes=8K", "core.reservation_bytes: 8K is out of "
                                      "range [4, 4096]"},
    };
    char *a[] = {"run", "-q", "--cores", "2", "--set", (char *)bad[_i][0],
                 (char *)elf("tests/programs/lrsc_aba.elf"), NULL};
    run(a);
    ck_assert_int_ne(res.status, 0);
    ck_assert_msg(strstr(res.err, bad[_i][1]) != NULL, "%s", res.err);
}
END_TEST

/* ---- hardware threads -------------------------------------------------------- */

/* Two threads per core hide each other's memory stalls (about the same
 * time for twice the work) but not ALU work (twice the time). */
START_TEST(test_smt_hides_stalls)
{
    char *a[] = {"run", "-q", "--cores", "2", "--threads-per-core", "2",
                 "--set", "memory.model=flat", "--set", "memory.latency=50",
                 (char *)elf("programs/threads/smt_demo.elf"), NULL};
    run(a);
    ck_assert_int_eq(res.status, 0);
    double loads, alu;
    const char *p = strstr(res.out, "dependent loads");
    const char *q = strstr(res.out, "ALU-bound adds");
    ck_assert_ptr_nonnull(p);
    ck_assert_ptr_nonnull(q);
    ck_assert_int_eq(sscanf(strstr(p, "cycles: ") + 8, "%lfx", &loads), 1);
    ck_assert_int_eq(sscanf(strstr(q, "cycles: ") + 8, "%lfx", &alu), 1);
    ck_assert_msg(loads < 1.2, "loads %.2fx", loads);
    ck_assert_msg(alu > 1.9, "alu %.2fx", alu);
}
END_TEST

/* Coarse-grained threads do not hide stalls shorter than the threshold. */
START_TEST(test_switch_on_stall_threshold)
{
    char *a[] = {"run", "-q", "--machine", "coarse4x4", "--set",
                 "memory.latency=4",
                 (char *)elf("programs/threads/smt_demo.elf"), NULL};
    run(a);
    ck_assert_int_eq(res.status, 0);
    double loads;
    const char *p = strstr(res.out, "dependent loads");
    ck_assert_ptr_nonnull(p);
    ck_assert_int_eq(sscanf(strstr(p, "cycles: ") + 8, "%lfx", &loads), 1);
    ck_assert_msg(loads > 3.8, "loads %.2fx", loads);
}
END_TEST

/* ---- console, freestanding programs, errors ---------------------------------- */

/* Each hart's lines come out whole, never mixed mid-line. */
START_TEST(test_console_lines_whole)
{
    char *a[] = {"run", "-q", "--cores", "4",
                 (char *)elf("tests/programs/mt_print.elf"), NULL};
    run(a);
    ck_assert_int_eq(res.status, 0);
    int lines = 0;
    for (char *l = strtok(res.out, "\n"); l; l = strtok(NULL, "\n")) {
        unsigned hart, n;
        char tail[128];
        ck_assert_msg(sscanf(l, "hart %u line %u: %127s", &hart, &n, tail) == 3
                          && strcmp(tail, "abcdefghijklmnopqrstuvwxyz") == 0,
                      "mixed line: '%s'", l);
        lines++;
    }
    ck_assert_int_eq(lines, 4 * 40);
}
END_TEST

/* A freestanding multi-hart program for QEMU's virt -smp 4 runs
 * unchanged, with the same output and status as on QEMU. */
START_TEST(test_freestanding_smp)
{
    const char *prog = elf("tests/programs/freestanding/smp_sum.elf");
    char *a[] = {"run", "-q", "--cores", "4", (char *)modes[_i][0],
                 (char *)modes[_i][1], (char *)prog, NULL};
    run(a);
    ck_assert_int_eq(res.status, 7);
    ck_assert_str_eq(res.out, "total 50500\n");
    char *out = strdup(res.out);
    tu_free(&res);
    char *q[] = {"qemu-system-riscv32", "-machine", "virt", "-smp", "4",
                 "-bios", "none", "-display", "none", "-monitor", "none",
                 "-serial", "none", "-chardev", "stdio,id=g,signal=off",
                 "-semihosting-config", "enable=on,chardev=g", "-kernel",
                 (char *)prog, NULL};
    ck_assert_int_eq(tu_run(q, NULL, 30, &res), 0);
    ck_assert_int_eq(res.status, 7);
    ck_assert_str_eq(res.out, out);
    free(out);
}
END_TEST

/* Harts that wait for an interrupt park; with too few harts to finish,
 * hart 0 spins until the cycle limit. */
START_TEST(test_wfi_parks)
{
    char *a[] = {"run", "-q", "--cores", "3", "--max-cycles", "50000",
                 (char *)elf("tests/programs/freestanding/smp_sum.elf"), NULL};
    run(a);
    ck_assert_int_eq(res.status, SIM_EXIT_CYCLE_LIMIT);
    ck_assert_ptr_nonnull(strstr(res.err, "cycle limit: hart 0"));
}
END_TEST

/* A stack overflow names the hart whose stack overflowed and its line,
 * not the hart whose stack it would have overwritten; a bigger
 * run.stack_size lets the same recursion finish. */
START_TEST(test_stack_overflow_named)
{
    const char *prog = elf("tests/programs/stack_mt.elf");
    char *a[] = {"run", "-q", "--cores", "2", (char *)prog, "100", NULL};
    run(a);
    ck_assert_int_eq(res.status, SIM_EXIT_GUEST_FAULT);
    ck_assert_msg(strstr(res.err, "stack overflow: hart 1, ") &&
                  strstr(res.err, "stack_mt.c:") &&
                  strstr(res.err, "run.stack_size is 64 KiB"), "%s", res.err);
    ck_assert_ptr_eq(strchr(res.err, '\n'), res.err + strlen(res.err) - 1);
    tu_free(&res);
    char *b[] = {"run", "-q", "--cores", "2", (char *)prog, "100", "main",
                 NULL};
    run(b);
    ck_assert_int_eq(res.status, SIM_EXIT_GUEST_FAULT);
    ck_assert_ptr_nonnull(strstr(res.err, "stack overflow: hart 0, "));
    tu_free(&res);
    char *c[] = {"run", "-q", "--cores", "2", "--set", "run.stack_size=256K",
                 (char *)prog, "100", NULL};
    run(c);
    ck_assert_int_eq(res.status, 0);
    ck_assert_str_eq(res.out, "stack_mt: 100 levels, 5050\n");
    tu_free(&res);
    /* Shallow: nothing to say. */
    char *d[] = {"run", "-q", "--cores", "2", (char *)prog, "10", NULL};
    run(d);
    ck_assert_int_eq(res.status, 0);
}
END_TEST

/* parsim_thread_create with no idle hart: the program gets EAGAIN every
 * time, as before, and parsim says why once, naming the hart, the
 * program's line and the fix; where there are harts, or where pool_init
 * asks for more workers than there are (no mistake), it says nothing. */
START_TEST(test_no_idle_hart_hint)
{
    const char *prog = elf("tests/programs/no_idle_hart.elf");
    char *a[] = {"run", "-q", (char *)prog, NULL};
    run(a);
    ck_assert_int_eq(res.status, 3);
    ck_assert_str_eq(res.out, "no_idle_hart: 3 of 3 EAGAIN\n");
    const char *hint = strstr(res.err, "parsim: no idle hart: hart 0 in main");
    ck_assert_msg(hint == res.err && strstr(res.err, "no_idle_hart.c:") &&
                  strstr(res.err, "parsim_thread_create returns EAGAIN") &&
                  strstr(res.err, "run with --cores N"), "%s", res.err);
    ck_assert_ptr_eq(strchr(res.err, '\n'), res.err + strlen(res.err) - 1);
    tu_free(&res);
    char *b[] = {"run", "-q", "--cores", "2", (char *)prog, NULL};
    run(b);
    ck_assert_int_eq(res.status, 0);
    ck_assert_str_eq(res.out, "no_idle_hart: 0 of 3 EAGAIN\n");
    ck_assert_str_eq(res.err, "");
    tu_free(&res);
    char *c[] = {"run", "-q", "--cores", "2", (char *)prog, "pool", NULL};
    run(c);
    ck_assert_int_eq(res.status, 0);
    ck_assert_str_eq(res.out, "no_idle_hart: pool of 1\n");
    ck_assert_str_eq(res.err, "");
}
END_TEST

/* The heap ends below the stacks at the end of RAM: --ram-size gives
 * programs more of it, bigger stacks less; stacks that do not fit are a
 * configuration error. */
static unsigned heap_mib(const char *opt, const char *val)
{
    char *a[] = {"run", "-q", (char *)opt, (char *)val,
                 (char *)elf("tests/programs/heap_size.elf"), NULL};
    run(a);
    ck_assert_msg(res.status == 0, "%s", res.err);
    unsigned n = 0;
    ck_assert_int_eq(sscanf(res.out, "heap: %u MiB", &n), 1);
    tu_free(&res);
    return n;
}

START_TEST(test_heap_follows_ram)
{
    unsigned h64 = heap_mib("--ram-size", "64M");
    unsigned h128 = heap_mib("--ram-size", "128M");
    unsigned h256 = heap_mib("--ram-size", "256M");
    ck_assert_uint_eq(h128 + 128, h256);
    ck_assert_uint_eq(h64 + 64, h128);
    /* 64 stacks of 1 MiB instead of 64 KiB: 60 MiB less. */
    ck_assert_uint_eq(heap_mib("--set", "run.stack_size=1M") + 60, h128);
    char *a[] = {"run", "-q", "--ram-size", "16M", "--set",
                 "run.stack_size=1M",
                 (char *)elf("tests/programs/heap_size.elf"), NULL};
    run(a);
    ck_assert_int_eq(res.status, SIM_EXIT_USAGE);
    ck_assert_ptr_nonnull(strstr(res.err, "configuration: "));
    ck_assert_ptr_nonnull(strstr(res.err, "run.stack_size"));
}
END_TEST

/* The whole command line reaches the program: a 4 KiB argument, empty
 * arguments, spaces, quotes and backslashes inside one; a command line
 * longer than the start-up code takes is refused before the run. */
START_TEST(test_command_line_whole)
{
    static char big[4097];
    memset(big, 'k', 4096);
    char *a[] = {"run", "-q", (char *)elf("tests/programs/argv.elf"), "",
                 "two words", big, "q\"uote", "back\\slash", "", NULL};
    run(a);
    ck_assert_int_eq(res.status, 7);
    ck_assert_msg(strstr(res.out, "argv[1] = [] (0 chars)\n") &&
                  strstr(res.out, "argv[2] = [two words] (9 chars)\n") &&
                  strstr(res.out, "(4096 chars)\n") &&
                  strstr(res.out, "argv[4] = [q\"uote] (6 chars)\n") &&
                  strstr(res.out, "argv[5] = [back\\slash] (10 chars)\n") &&
                  strstr(res.out, "argv[6] = [] (0 chars)\n"), "%s", res.out);
    tu_free(&res);
    static char huge[20001];
    memset(huge, 'h', 20000);
    char *b[] = {"run", "-q", (char *)elf("tests/programs/argv.elf"), huge,
                 NULL};
    run(b);
    ck_assert_int_eq(res.status, SIM_EXIT_USAGE);
    ck_assert_ptr_nonnull(strstr(res.err, "programs get at most 16383"));
    ck_assert_str_eq(res.out, "");
}
END_TEST

START_TEST(test_machine_files)
{
    static const struct {
        const char *machine;
        int status;
        const char *needle;
    } cases[] = {
        {"smp4", 0, "4 cores x 1 threads"},
        {"smt4x2", 0, "4 cores x 2 threads"},
        {"nosuchmachine", SIM_EXIT_USAGE, "cannot open"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char *a[] = {"run", "--machine", (char *)cases[i].machine,
                     (char *)elf("programs/threads/array_sum_spmd.elf"), NULL};
        run(a);
        ck_assert_msg(res.status == cases[i].status, "%s: status %d: %s",
                      cases[i].machine, res.status, res.err);
        ck_assert_msg(strstr(res.err, cases[i].needle) != NULL, "%s: %s",
                      cases[i].machine, res.err);
        tu_free(&res);
    }
    char *bad[] = {"run", "--cores", "65", (char *)elf("programs/demo/hello.elf"),
                   NULL};
    run(bad);
    ck_assert_int_eq(res.status, SIM_EXIT_USAGE);
    ck_assert_ptr_nonnull(strstr(res.err, "machine.cores"));
    tu_free(&res);
    char *bad2[] = {"run", "--cores", "2", "--host-threads", "4",
                    (char *)elf("programs/demo/hello.elf"), NULL};
    run(bad2);
    ck_assert_int_eq(res.status, SIM_EXIT_USAGE);
    ck_assert_ptr_nonnull(strstr(res.err, "run.host_threads"));
}
END_TEST

Suite *machine_suite(void)
{
    Suite *s = suite_create("machine");
    TCase *tc = tcase_create("multicore");
    tcase_add_checked_fixture(tc, NULL, teardown_res);
    tcase_set_timeout(tc, 300);
    tcase_add_loop_test(tc, test_deterministic_repeats, 0,
                        sizeof shipped / sizeof shipped[0]);
    tcase_add_test(tc, test_pauses_change_nothing);
    tcase_add_test(tc, test_racy_counter_loses_updates);
    tcase_add_loop_test(tc, test_locked_counters_exact, 0, 2);
    tcase_add_loop_test(tc, test_mutual_exclusion_stress, 0, 2);
    tcase_add_test(tc, test_lock_stats);
    tcase_add_loop_test(tc, test_deadlock_report, 0, 2);
    tcase_add_loop_test(tc, test_lrsc_aba_two_harts, 0,
                        (int)(sizeof lrsc_runs / sizeof lrsc_runs[0]));
    tcase_add_loop_test(tc, test_lrsc_bytes_checked, 0, 3);
    tcase_add_test(tc, test_smt_hides_stalls);
    tcase_add_test(tc, test_switch_on_stall_threshold);
    tcase_add_test(tc, test_console_lines_whole);
    tcase_add_loop_test(tc, test_freestanding_smp, 0, 2);
    tcase_add_test(tc, test_wfi_parks);
    tcase_add_test(tc, test_machine_files);
    tcase_add_test(tc, test_stack_overflow_named);
    tcase_add_test(tc, test_no_idle_hart_hint);
    tcase_add_test(tc, test_heap_follows_ram);
    tcase_add_test(tc, test_command_line_whole);
    suite_add_tcase(s, tc);
    return s;
}
