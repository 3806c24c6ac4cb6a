/* main.c — the parsim command line: run, mpirun, sweep, plot, disasm,
 * help, version. */
#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <stdbool.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "models/coherence/protocol.h"
#include "programs/runtime/parsim_ecall.h"
#include "sim/elf.h"
#include "sim/machine.h"
#include "sim/semihost.h"
#include "sim/plot.h"
#include "sim/session.h"
#include "sim/sweep.h"
#include "sim/trace.h"
#include "visualizer/timeline.h"
#include "visualizer/vis.h"

#ifndef PARSIM_VERSION
#define PARSIM_VERSION "dev"
#endif

static void usage(FILE *f)
{
    fputs(
        "usage: parsim run [options] PROGRAM.elf [ARGS...]\n"
        "       parsim mpirun -n N [options] PROGRAM.elf [ARGS...]\n"
        "                     (parsim run --ranks N ...)\n"
        "       parsim sweep [options] --vary KEY=V1,V2,... PROGRAM.elf "
        "[ARGS...]\n"
        "                     (a grid of runs to CSV: parsim sweep --help)\n"
        "       parsim plot FILE.csv --plot OUT.png --x KEY --y STAT "
        "[--by KEY]\n"
        "       parsim disasm PROGRAM.elf\n"
        "       parsim stats-fields   (the statistics, as docs/stats.md "
        "lists them)\n"
        "       parsim keys           (the window's keys, as docs/keys.md "
        "lists them)\n"
        "       parsim protocol [msi|mesi|moesi] [--markdown]\n"
        "                     (a coherence protocol's tables, as "
        "docs/coherence.md\n"
        "                     lists them)\n"
        "       parsim --help | --version\n"
        "\n"
        "Runs a RISC-V RV32IMAFC program (built with parsim-cc, or for QEMU's\n"
        "virt machine with picolibc's semihosting crt0) on the simulated\n"
        "machine.  The program's output is parsim's output and its exit\n"
        "status is parsim's exit status; a summary goes to stderr.\n"
        "\n"
        "run options:\n"
        "  --machine NAME     machine file: a preset (smp4, smt4x2, coarse4x4,\n"
        "                     many16: configs/NAME.ini) or a path to an .ini\n"
        "  --cores N          number of cores (default 1)\n"
        "  --ranks N          message passing: N nodes, each with its own\n"
        "                     memory and one MPI rank of the program\n"
        "                     (mp.cores_per_node cores each; docs/mpi.md)\n"
        "  --threads-per-core T  hardware threads per core (default 1)\n"
        "  --host-threads N   parallel mode on N host threads (1: the\n"
        "                     deterministic default)\n"
        "  --quantum CYCLES   parallel mode: cycles between barriers (1000)\n"
        "  --stats FILE.json  write every statistic, the configuration and\n"
        "                     the command line as JSON (docs/stats.md)\n"
        "  --stats-csv FILE.csv  append the run's figures as one CSV row\n"
        "                     (a header row first in a new file)\n"
        "  --trace FILE.json  write a timeline for ui.perfetto.dev or\n"
        "                     chrome://tracing (1 cycle = 1 ns): states,\n"
        "                     misses, lock holds, messages, counters\n"
        "  --trace-from CYCLE|roi  start the trace there (roi: where the\n"
        "                     program calls parsim_roi_begin)\n"
        "  --trace-to CYCLE|roi    end it there (roi: at parsim_roi_end)\n"
        "  --trace-max-events N  cap the trace's events (default 1000000;\n"
        "                     the viewers struggle beyond): a run that\n"
        "                     reaches it is cut there, with a warning\n"
        "  --trace-png FILE.png  draw the trace's window as a timeline\n"
        "                     (with --trace; best for a few thousand cycles)\n"
        "  --gui              watch it in a window (space: run/pause, s: step,\n"
        "                     n: next event, t: statistics, h: all keys);\n"
        "                     deterministic mode\n"
        "  --paused           with --gui: open paused at cycle 0\n"
        "  --gui-size WxH     with --gui: the window's size (1280x720)\n"
        "  --gui-keys KEYS    with --gui: press these keys first (scripted\n"
        "                     demos and tests: \"sssss\" steps five cycles)\n"
        "  --gui-screenshot FILE.png  with --gui: after the keys, save the\n"
        "                     window to FILE.png and close it\n"
        "  --gui-exit         with --gui: close the window when the run\n"
        "                     ends (unattended demos)\n"
        "  --theme dark|light  the window's and --snapshot's colours (dark;\n"
        "                     light: for a lit room)\n"
        "  --speed N          with --gui: run at N cycles a second (0: full\n"
        "                     speed, the default; + and - change it)\n"
        "  --start-at CYCLE   with --gui: run to CYCLE (roi: into the region\n"
        "                     of interest, within 20,000 cycles of its\n"
        "                     start) before the window opens\n"
        "  --snapshot CYCLE:FILE.png  render the window's view at CYCLE to\n"
        "                     a PNG, without a display (repeatable)\n"
        "  --break WHERE      stop when a hart reaches WHERE: a function,\n"
        "                     FILE:LINE (counter.c:42) or 0xADDRESS; in the\n"
        "                     window it pauses there (repeatable)\n"
        "  --watch VARIABLE   stop after a hart writes VARIABLE (repeatable)\n"
        "  --max-cycles N     stop with an error after N simulated cycles\n"
        "  --ram-size SIZE    simulated RAM (default 128M; K/M/G suffixes)\n"
        "  --set KEY=VALUE    set a machine parameter (repeatable)\n"
        "  --list-keys        list the parameters with their values\n"
        "  --no-timing        functional only: 1 cycle per instruction\n"
        "  --guest-traps      deliver exceptions to the program's mtvec\n"
        "  --check-coherence  check the coherence invariants at every\n"
        "                     transaction (coherence.check=1)\n"
        "  -q, --quiet        no summary on stderr\n"
        "  --no-progress      no progress line on long runs\n"
        "  --host-fs DIR      the program's files must be under DIR (default:\n"
        "                     the directory parsim runs in); none: no files\n"
        "                     but the console; all: any file (unsafe)\n"
        "\n"
        "parsim's own exit statuses: 64 bad usage or configuration, 65 the\n"
        "program file was rejected, 66 it cannot be read, 70 the program\n"
        "faulted (illegal instruction, access outside RAM, ...), 71 deadlock,\n"
        "75 cycle limit, 76 a --break or --watch was reached, 128 + N a\n"
        "signal N ended the run (130 Ctrl-C, 143 SIGTERM) after printing its\n"
        "results.\n",
        f);
}

/* parsim's exit status for a program file sim_elf_open rejected. */
static int rejected(const char *err)
{
    /* The machine the configuration and the program make together may
     * not exist (the stacks do not fit): a configuration error. */
    if (!strncmp(err, "configuration: ", 15))
        return SIM_EXIT_USAGE;
    return strstr(err, "cannot open") ? SIM_EXIT_NO_INPUT : SIM_EXIT_BAD_ELF;
}

/* --trace: the options, and the writer while the run goes on. */
typedef struct TraceArgs {
    SimTraceOptions o;
    bool from_set, to_set, max_set;
    VisTimelineOptions png;   /* --trace-png */
    SimTrace *t;
} TraceArgs;

/* Attach the trace writer to m; false after a message. */
static bool trace_start(TraceArgs *ta, SimMachine *m)
{
    char err[512];
    if (!ta->o.path)
        return true;
    if (ta->png.path) {
        ta->o.on_layout = vis_timeline_on_layout;
        ta->o.ctx = &ta->png;
    }
    ta->t = sim_trace_open(m, &ta->o, err, sizeof err);
    if (!ta->t) {
        fprintf(stderr, "parsim: --trace: %s\n", err);
        return false;
    }
    return true;
}

/* Write the trace (m: the machine as it is now); a failure turns success
 * into a usage error. */
static int trace_finish(TraceArgs *ta, SimMachine *m, int status)
{
    char err[512];
    if (!ta->t)
        return status;
    bool ok = sim_trace_close(ta->t, m, err, sizeof err);
    ta->t = NULL;
    if (!ok) {
        fprintf(stderr, "parsim: --trace: %s\n", err);
        if (status == 0)
            status = SIM_EXIT_USAGE;
    }
    return status;
}

/* After a run: the summary and the --stats file; returns the exit
 * status (a failed --stats write turns success into a usage error). */
static int report(const SimConfig *cfg, SimMachine *m, int status,
                  const char *stats_path, const char *csv_path)
{
    char err[512];
    if (!cfg->quiet)
        sim_machine_summary(m, stderr);
    if (stats_path &&
        !sim_machine_write_stats(m, stats_path, err, sizeof err)) {
        fprintf(stderr, "parsim: --stats: %s\n", err);
        if (status == 0)
            status = SIM_EXIT_USAGE;
    }
    if (csv_path && !sim_machine_write_csv(m, csv_path, err, sizeof err)) {
        fprintf(stderr, "parsim: --stats-csv: %s\n", err);
        if (status == 0)
            status = SIM_EXIT_USAGE;
    }
    return status;
}

#define MAX_SHOTS 32

typedef struct Shot {
    uint64_t cycle;
    const char *path;
} Shot;

/* "CYCLE:FILE.png" */
static bool parse_shot(const char *arg, Shot *shots, int *n, char *err,
                       size_t errlen)
{
    char *end;
    unsigned long long c = strtoull(arg, &end, 10);
    if (end == arg || *end != ':' || !end[1]) {
        snprintf(err, errlen, "--snapshot %s: expected CYCLE:FILE.png", arg);
        return false;
    }
    if (*n == MAX_SHOTS) {
        snprintf(err, errlen, "--snapshot: at most %d", MAX_SHOTS);
        return false;
    }
    shots[*n] = (Shot){c, end + 1};
    (*n)++;
    return true;
}

static int shot_cmp(const void *a, const void *b)
{
    const Shot *x = a, *y = b;
    return x->cycle < y->cycle ? -1 : x->cycle > y->cycle;
}

/* --gui and --snapshot: the machine in a session (deterministic mode). */
typedef struct StartAt {
    uint64_t cycle;           /* run to here before the window opens */
    bool roi;                 /* ... or to the region of interest */
} StartAt;

/* --break and --watch, as given. */
#define MAX_BREAKS 32
typedef struct BreakArgs {
    char *breaks[MAX_BREAKS], *watches[MAX_BREAKS];
    int nbreaks, nwatches;
} BreakArgs;

static int run_session(const SimConfig *cfg, const char *path, int argc,
                       char **argv, VisOptions *gui, bool paused, Shot *shots,
                       int nshots, const char *stats_path,
                       const char *csv_path, TraceArgs *ta,
                       const StartAt *start, const BreakArgs *ba,
                       VisTheme theme)
{
    char err[512];
    SimSession *s = sim_session_new(cfg, path, argc, argv, err, sizeof err);
    if (!s) {
        fprintf(stderr, "parsim: %s: %s\n", path, err);
        return rejected(err);
    }
    /* In the window a breakpoint pauses; elsewhere it ends the run. */
    if ((ba->nbreaks || ba->nwatches) &&
        !sim_session_set_breaks(s, ba->breaks, ba->nbreaks, ba->watches,
                                ba->nwatches, gui != NULL, err, sizeof err)) {
        fprintf(stderr, "parsim: %s\n", err);
        sim_session_free(s);
        return SIM_EXIT_USAGE;
    }
    /* The trace follows the session's first machine: a restart in the
     * window builds another, and the trace then ends where the first was
     * left (sim_trace_close sees that). */
    if (!trace_start(ta, sim_session_machine(s))) {
        sim_session_free(s);
        return SIM_EXIT_USAGE;
    }
    qsort(shots, (size_t)nshots, sizeof *shots, shot_cmp);
    SimSnapshot snap;
    memset(&snap, 0, sizeof snap);
    int status = 0;
    for (int i = 0; i < nshots; i++) {
        bool alive = vis_run_to_sampled(s, shots[i].cycle);
        sim_session_snapshot(s, &snap);
        VisView view;
        vis_view_default(&view);
        view.theme = theme;
        if (!vis_render_png_view(&snap, s, &view, 1280, 720, shots[i].path,
                                 err, sizeof err)) {
            fprintf(stderr, "parsim: --snapshot %s: %s\n", shots[i].path,
                    err);
            status = SIM_EXIT_USAGE;
            break;
        }
        fprintf(stderr, "parsim: snapshot at cycle %" PRIu64 " written to "
                "%s%s\n", snap.cycle, shots[i].path,
                alive ? "" : " (the run had ended)");
    }
    if (status == 0 && gui && (start->cycle || start->roi)) {
        /* Past the start-up, to where the lecture begins. */
        bool alive = true;
        if (start->roi) {
            /* In the window's running steps: it opens within one of
             * them (20,000 cycles) after the region began. */
            while (alive && !sim_session_in_roi(s))
                alive = vis_run_to_sampled(s, sim_session_cycle(s) + 20000);
            if (!sim_session_in_roi(s))
                fprintf(stderr, "parsim: --start-at roi: the program has no "
                        "region of interest (parsim_roi_begin); the window "
                        "opens at its end\n");
        } else {
            alive = vis_run_to_sampled(s, start->cycle);
        }
        (void)alive;
    }
    if (status == 0 && gui) {
        gui->start_paused = paused;
        if (vis_run_window(s, gui, err, sizeof err) != 0)
            fprintf(stderr, "parsim: --gui: %s; running without a window\n",
                    err);
        sim_session_command(s, SIM_CMD_QUIT, 0);
    }
    SimMachine *m = NULL;
    if (status == 0) {
        /* Finish the run on this thread (the window may have been closed
         * before the end) and report as a plain run does. */
        int rc = sim_session_free_thread(s);
        (void)rc;
        while (!sim_session_finish(s))
            ;
        m = sim_session_machine(s);
        status = trace_finish(ta, m, sim_machine_status(m));
        status = report(cfg, m, status, stats_path, csv_path);
    }
    status = trace_finish(ta, sim_session_machine(s), status);
    sim_snapshot_free(&snap);
    sim_session_free(s);
    return status;
}

enum { O_MAX_CYCLES = 256, O_RAM, O_SET, O_KEYS, O_NO_TIMING, O_TRAPS,
       O_NO_PROGRESS, O_HOST_FS, O_MACHINE, O_CORES, O_TPC, O_HOST_THREADS,
       O_QUANTUM, O_RANKS, O_STATS, O_GUI, O_PAUSED, O_SNAPSHOT, O_GUI_SIZE,
       O_GUI_KEYS, O_GUI_SHOT, O_GUI_EXIT, O_THEME, O_SPEED, O_START_AT, O_STATS_CSV, O_TRACE, O_TRACE_FROM,
       O_TRACE_TO, O_TRACE_MAX, O_TRACE_PNG, O_BREAK, O_WATCH,
       O_CHECK_COH };

/* Options that are shorthands for one configuration key. */
static const char *option_key(int opt)
{
    switch (opt) {
    case O_MAX_CYCLES: return "run.max_cycles";
    case O_RAM: return "machine.ram_size";
    case O_CORES: return "machine.cores";
    case O_TPC: return "machine.threads_per_core";
    case O_QUANTUM: return "run.quantum";
    case O_RANKS: return "mp.ranks";
    default: return "?";
    }
}

/* The run command's options. */
static const struct option opts[] = {
    {"max-cycles", required_argument, 0, O_MAX_CYCLES},
    {"ram-size", required_argument, 0, O_RAM},
    {"set", required_argument, 0, O_SET},
    {"list-keys", no_argument, 0, O_KEYS},
    {"no-timing", no_argument, 0, O_NO_TIMING},
    {"check-coherence", no_argument, 0, O_CHECK_COH},
    {"guest-traps", no_argument, 0, O_TRAPS},
    {"quiet", no_argument, 0, 'q'},
    {"no-progress", no_argument, 0, O_NO_PROGRESS},
    {"host-fs", required_argument, 0, O_HOST_FS},
    {"machine", required_argument, 0, O_MACHINE},
    {"cores", required_argument, 0, O_CORES},
    {"threads-per-core", required_argument, 0, O_TPC},
    {"host-threads", required_argument, 0, O_HOST_THREADS},
    {"quantum", required_argument, 0, O_QUANTUM},
    {"ranks", required_argument, 0, O_RANKS},
    {"stats", required_argument, 0, O_STATS},
    {"stats-csv", required_argument, 0, O_STATS_CSV},
    {"gui", no_argument, 0, O_GUI},
    {"paused", no_argument, 0, O_PAUSED},
    {"snapshot", required_argument, 0, O_SNAPSHOT},
    {"gui-size", required_argument, 0, O_GUI_SIZE},
    {"gui-keys", required_argument, 0, O_GUI_KEYS},
    {"gui-screenshot", required_argument, 0, O_GUI_SHOT},
    {"gui-exit", no_argument, 0, O_GUI_EXIT},
    {"theme", required_argument, 0, O_THEME},
    {"speed", required_argument, 0, O_SPEED},
    {"start-at", required_argument, 0, O_START_AT},
    {"trace", required_argument, 0, O_TRACE},
    {"trace-from", required_argument, 0, O_TRACE_FROM},
    {"trace-to", required_argument, 0, O_TRACE_TO},
    {"trace-max-events", required_argument, 0, O_TRACE_MAX},
    {"trace-png", required_argument, 0, O_TRACE_PNG},
    {"break", required_argument, 0, O_BREAK},
    {"watch", required_argument, 0, O_WATCH},
    {"help", no_argument, 0, 'h'},
    {0, 0, 0, 0}};

/* Does run option NAME (without its dashes) take a value? */
static bool option_takes_value(const char *name)
{
    for (const struct option *o = opts; o->name; o++)
        if (!strcmp(o->name, name))
            return o->has_arg == required_argument;
    return false;
}

/* For parsim sweep: 1 a run option with a value, 0 one without, -1 not
 * one ("q" and "h" are the short ones). */
static int run_option_arity(const char *name)
{
    if (!strcmp(name, "q") || !strcmp(name, "h"))
        return 0;
    for (const struct option *o = opts; o->name; o++)
        if (!strcmp(o->name, name))
            return o->has_arg == required_argument;
    return -1;
}

/* Ctrl-C, SIGTERM (timeout, kill) and SIGHUP end the run at the next
 * slice boundary with its results; a second one ends parsim at once. */
static void on_signal(int signo)
{
    if (sim_stop_requested()) {
        signal(signo, SIG_DFL);
        raise(signo);
        return;
    }
    sim_request_stop(signo);
}

static void catch_signals(void)
{
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_signal;
    sigemptyset(&sa.sa_mask);
    sa.sa_flags = 0;            /* no SA_RESTART: a console read returns */
    sigaction(SIGINT, &sa, NULL);
    sigaction(SIGTERM, &sa, NULL);
    sigaction(SIGHUP, &sa, NULL);
}

static int cmd_run(int argc, char **argv)
{
    SimConfig cfg;
    sim_config_defaults(&cfg);
    char err[512];
    const char *stats_path = NULL, *csv_path = NULL;
    bool gui = false, paused = false, start_roi = false;
    uint64_t start_at = 0;
    VisOptions vo;
    vis_options_default(&vo);
    Shot shots[MAX_SHOTS];
    int nshots = 0;
    TraceArgs ta;
    memset(&ta, 0, sizeof ta);
    BreakArgs ba;
    memset(&ba, 0, sizeof ba);
    int c;
    optind = 1;
    /* '+': options end at the program name; the rest is its argv. */
    while ((c = getopt_long(argc, argv, "+qh", opts, NULL)) != -1) {
        bool ok = true;
        switch (c) {
        case O_MAX_CYCLES: case O_RAM: case O_CORES: case O_TPC:
        case O_QUANTUM: case O_RANKS:
            ok = sim_config_give(&cfg, option_key(c), optarg, err,
                                 sizeof err);
            break;
        case O_SET: {
            char *eq = strchr(optarg, '=');
            if (!eq) {
                snprintf(err, sizeof err, "--set %s: expected KEY=VALUE",
                         optarg);
                ok = false;
                break;
            }
            *eq = 0;
            ok = sim_config_give(&cfg, optarg, eq + 1, err, sizeof err);
            break;
        }
        case O_MACHINE:
            ok = sim_config_load(&cfg, optarg, err, sizeof err);
            break;
        case O_HOST_THREADS:
            ok = sim_config_set(&cfg, "run.host_threads", optarg, err,
                                sizeof err);
            if (ok)
                cfg.mode = cfg.host_threads > 1 ? SIM_MODE_PARALLEL
                                                : SIM_MODE_DETERMINISTIC;
            break;
        case O_STATS:
            stats_path = optarg;
            break;
        case O_TRACE:
            ta.o.path = optarg;
            break;
        case O_TRACE_PNG:
            ta.png.path = optarg;
            break;
        case O_BREAK: case O_WATCH: {
            int *n = c == O_BREAK ? &ba.nbreaks : &ba.nwatches;
            if (*n == MAX_BREAKS) {
                snprintf(err, sizeof err, "more than %d --%s options",
                         MAX_BREAKS, c == O_BREAK ? "break" : "watch");
                ok = false;
                break;
            }
            (c == O_BREAK ? ba.breaks : ba.watches)[(*n)++] = optarg;
            break;
        }
        case O_TRACE_FROM: case O_TRACE_TO: {
            bool from = c == O_TRACE_FROM;
            if (!sim_trace_parse_cycle(optarg, from ? &ta.o.from : &ta.o.to,
                                       from ? &ta.o.from_roi
                                            : &ta.o.to_roi)) {
                fprintf(stderr, "parsim: --trace-%s %s: expected a cycle "
                        "count or \"roi\"\n", from ? "from" : "to", optarg);
                return SIM_EXIT_USAGE;
            }
            if (from)
                ta.from_set = true;
            else
                ta.to_set = true;
            break;
        }
        case O_TRACE_MAX: {
            bool roi;
            if (!sim_trace_parse_cycle(optarg, &ta.o.max_events, &roi) ||
                roi || ta.o.max_events == 0) {
                fprintf(stderr, "parsim: --trace-max-events %s: expected a "
                        "number of events (at least 1)\n", optarg);
                return SIM_EXIT_USAGE;
            }
            ta.max_set = true;
            break;
        }
        case O_STATS_CSV:
            csv_path = optarg;
            break;
        case O_GUI:
            gui = true;
            break;
        case O_PAUSED:
            paused = true;
            break;
        case O_SNAPSHOT:
            ok = parse_shot(optarg, shots, &nshots, err, sizeof err);
            break;
        case O_GUI_SIZE:
            if (sscanf(optarg, "%dx%d", &vo.width, &vo.height) != 2 ||
                vo.width < 320 || vo.height < 200 || vo.width > 8192 ||
                vo.height > 8192) {
                snprintf(err, sizeof err, "--gui-size %s: expected WxH, "
                         "e.g. 1920x1080", optarg);
                ok = false;
            }
            break;
        case O_GUI_KEYS:
            vo.keys = optarg;
            break;
        case O_GUI_SHOT:
            vo.screenshot = optarg;
            vo.exit_after_keys = true;
            break;
        case O_THEME:
            if (!vis_theme_parse(optarg, &vo.theme)) {
                snprintf(err, sizeof err, "--theme %s: expected dark or "
                         "light", optarg);
                ok = false;
            }
            break;
        case O_GUI_EXIT:
            vo.exit_at_end = true;
            break;
        case O_SPEED:
            if (!sim_parse_count(optarg, &vo.speed)) {
                snprintf(err, sizeof err, "--speed %s: expected cycles per "
                         "second (0: full speed)", optarg);
                ok = false;
            }
            break;
        case O_START_AT:
            start_roi = !strcmp(optarg, "roi");
            if (!start_roi && !sim_parse_count(optarg, &start_at)) {
                snprintf(err, sizeof err, "--start-at %s: expected a cycle or "
                         "roi", optarg);
                ok = false;
            }
            break;
        case O_KEYS:
            printf("parsim machine parameters (--set KEY=VALUE):\n");
            sim_config_print_keys(&cfg, stdout);
            return 0;
        case O_NO_TIMING:
            cfg.timing = false;
            break;
        case O_CHECK_COH:
            cfg.coh_check = true;
            break;
        case O_TRAPS:
            cfg.guest_traps = true;
            break;
        case 'q':
            cfg.quiet = true;
            break;
        case O_HOST_FS:
            ok = sim_config_set(&cfg, "run.host_fs", optarg, err,
                                sizeof err);
            break;
        case O_NO_PROGRESS:
            cfg.progress = false;
            break;
        case 'h':
            usage(stdout);
            return 0;
        default:
            fprintf(stderr, "parsim: run: bad option (see parsim --help)\n");
            return SIM_EXIT_USAGE;
        }
        if (!ok) {
            fprintf(stderr, "parsim: configuration: %s\n", err);
            return SIM_EXIT_USAGE;
        }
    }
    catch_signals();
    sim_config_resolve(&cfg);
    if (!sim_machine_config_check(&cfg, err, sizeof err)) {
        fprintf(stderr, "parsim: configuration: %s\n", err);
        return SIM_EXIT_USAGE;
    }
    if (!strcmp(cfg.host_fs, "all"))
        fprintf(stderr, "parsim: warning: --host-fs all: the program may "
                "read, write, remove and rename any file you can\n");
    if (optind >= argc) {
        fprintf(stderr, "parsim: run: no program given (usage: parsim run "
                "[options] PROGRAM.elf [ARGS...])\n");
        return SIM_EXIT_USAGE;
    }
    if (!ta.o.path && (ta.from_set || ta.to_set || ta.max_set ||
                       ta.png.path)) {
        fprintf(stderr, "parsim: --trace-%s: needs --trace FILE.json\n",
                ta.from_set ? "from" : ta.to_set ? "to"
                : ta.max_set ? "max-events" : "png");
        return SIM_EXIT_USAGE;
    }
    if (ta.o.path && !ta.o.from_roi && !ta.o.to_roi && ta.to_set &&
        ta.o.to <= ta.o.from) {
        fprintf(stderr, "parsim: --trace-to %" PRIu64 ": must come after "
                "--trace-from %" PRIu64 "\n", ta.o.to, ta.o.from);
        return SIM_EXIT_USAGE;
    }
    const char *path = argv[optind];
    if (!gui && (vo.speed || start_at || start_roi)) {
        fprintf(stderr, "parsim: --speed and --start-at are for the window "
                "(--gui)\n");
        return SIM_EXIT_USAGE;
    }
    /* The whole command line reaches the program, or the run does not
     * start: the start-up code's buffer is PARSIM_CMDLINE_MAX bytes. */
    size_t cmdline = sim_semihost_cmdline(argc - optind, argv + optind, NULL);
    if (cmdline + 1 > PARSIM_CMDLINE_MAX) {
        fprintf(stderr, "parsim: the program's command line is %zu bytes "
                "(its path, its arguments, the quotes around empty ones or "
                "ones with spaces); programs get at most %d\n", cmdline,
                PARSIM_CMDLINE_MAX - 1);
        return SIM_EXIT_USAGE;
    }
    if (gui || nshots)
        return run_session(&cfg, path, argc - optind, argv + optind,
                           gui ? &vo : NULL, paused, shots, nshots,
                           stats_path, csv_path, &ta,
                           &(StartAt){start_at, start_roi}, &ba, vo.theme);
    SimProgram *prog = sim_elf_open(path, err, sizeof err);
    if (!prog) {
        fprintf(stderr, "parsim: %s: %s\n", path, err);
        return rejected(err);
    }
    int status;
    SimMachine *m = sim_machine_new(&cfg, prog, argc - optind, argv + optind,
                                    err, sizeof err);
    if (!m) {
        fprintf(stderr, "parsim: %s: %s\n", path, err);
        status = rejected(err);
    } else if (!trace_start(&ta, m)) {
        status = SIM_EXIT_USAGE;
    } else if ((ba.nbreaks || ba.nwatches) &&
               !sim_machine_set_breaks(m, ba.breaks, ba.nbreaks, ba.watches,
                                       ba.nwatches, false, err, sizeof err)) {
        fprintf(stderr, "parsim: %s\n", err);
        status = SIM_EXIT_USAGE;
    } else {
        status = sim_machine_run(m);
        status = trace_finish(&ta, m, status);
        status = report(&cfg, m, status, stats_path, csv_path);
    }
    sim_machine_free(m);
    sim_elf_close(prog);
    return status;
}

typedef struct DisCtx {
    SimProgram *prog;
} DisCtx;

static void dis_section(void *ctx, const char *name, uint32_t addr,
                        const uint8_t *bytes, size_t size)
{
    DisCtx *d = ctx;
    printf("\nDisassembly of section %s:\n", name);
    size_t off = 0;
    while (off + 2 <= size) {
        uint32_t pc = addr + (uint32_t)off;
        const SimSymbol *s = sim_elf_symbol_at(d->prog, pc);
        if (s && s->addr == pc)
            printf("\n%08x <%s>:\n", pc, s->name);
        uint32_t raw = (uint32_t)bytes[off] | (uint32_t)bytes[off + 1] << 8;
        unsigned len = (raw & 3) == 3 ? 4 : 2;
        if (len == 4) {
            if (off + 4 > size)
                break;
            raw |= (uint32_t)bytes[off + 2] << 16 |
                   (uint32_t)bytes[off + 3] << 24;
        }
        IsaInsn in;
        char text[160];
        if (isa_decode(raw, &in))
            isa_disasm(&in, pc, text, sizeof text, sim_elf_symfn, d->prog);
        else
            snprintf(text, sizeof text, ".insn\t%u, 0x%0*x", len,
                     len == 4 ? 8 : 4, raw);
        if (len == 4)
            printf("%8x:\t%08x          \t%s\n", pc, raw, text);
        else
            printf("%8x:\t%04x                \t%s\n", pc, raw, text);
        off += len;
    }
}

static int cmd_disasm(int argc, char **argv)
{
    if (argc != 2) {
        fprintf(stderr, "parsim: disasm: usage: parsim disasm PROGRAM.elf\n");
        return SIM_EXIT_USAGE;
    }
    char err[512];
    SimProgram *prog = sim_elf_open(argv[1], err, sizeof err);
    if (!prog) {
        fprintf(stderr, "parsim: %s: %s\n", argv[1], err);
        return rejected(err);
    }
    printf("\n%s:     file format elf32-littleriscv\n", argv[1]);
    DisCtx d = {prog};
    sim_elf_each_code_section(prog, dis_section, &d);
    sim_elf_close(prog);
    return 0;
}

/* parsim mpirun -n N [run options] PROGRAM [ARGS]: what a user of MPI
 * tries first; -n (or -np) N becomes --ranks N after the other options. */
/* parsim protocol [NAME] [--markdown]: the tables the engine runs. */
static int cmd_protocol(int argc, char **argv)
{
    bool md = false;
    const CohProtocolDef *only = NULL;
    for (int i = 1; i < argc; i++) {
        if (!strcmp(argv[i], "--markdown")) {
            md = true;
        } else if (!only && (only = coh_protocol_named(argv[i])) != NULL) {
            ;
        } else {
            fprintf(stderr, "parsim: protocol: '%s' is not msi, mesi, moesi "
                    "or --markdown\n", argv[i]);
            return SIM_EXIT_USAGE;
        }
    }
    for (int p = 0; p < COH_PROTOCOLS; p++) {
        const CohProtocolDef *d = coh_protocol((CohProtocolId)p);
        if (only && d != only)
            continue;
        if (!only && p)
            fputc('\n', stdout);
        coh_protocol_print(stdout, d, md);
    }
    return 0;
}

static int cmd_mpirun(int argc, char **argv)
{
    char **v = calloc((size_t)argc + 2, sizeof *v);
    if (!v)
        return SIM_EXIT_USAGE;
    int n = 0, i = 1;
    const char *nranks = NULL;
    v[n++] = "run";
    for (; i < argc && argv[i][0] == '-'; i++) {
        if (!strcmp(argv[i], "-n") || !strcmp(argv[i], "-np")) {
            if (i + 1 >= argc) {
                fprintf(stderr, "parsim: mpirun: %s needs a number of "
                        "ranks\n", argv[i]);
                free(v);
                return SIM_EXIT_USAGE;
            }
            nranks = argv[++i];
            continue;
        }
        v[n++] = argv[i];
        /* A run option's value is the next word: keep it with it. */
        if (argv[i][1] == '-' && !strchr(argv[i], '=') && i + 1 < argc &&
            option_takes_value(argv[i] + 2))
            v[n++] = argv[++i];
    }
    if (!nranks) {
        fprintf(stderr, "parsim: mpirun: how many ranks? (parsim mpirun -n 4 "
                "prog.elf)\n");
        free(v);
        return SIM_EXIT_USAGE;
    }
    /* After every other option, so that a --machine does not undo it. */
    v[n++] = "--ranks";
    v[n++] = (char *)nranks;
    for (; i < argc; i++)
        v[n++] = argv[i];
    int rc = cmd_run(n, v);
    free(v);
    return rc;
}

int main(int argc, char **argv)
{
    if (argc < 2) {
        usage(stderr);
        return SIM_EXIT_USAGE;
    }
    const char *cmd = argv[1];
    if (!strcmp(cmd, "--help") || !strcmp(cmd, "-h") || !strcmp(cmd, "help")) {
        usage(stdout);
        return 0;
    }
    if (!strcmp(cmd, "--version") || !strcmp(cmd, "version")) {
        printf("parsim %s (RV32IMAFC, up to %d harts)\n", PARSIM_VERSION,
               SIM_MAX_HARTS);
        return 0;
    }
    if (!strcmp(cmd, "run"))
        return cmd_run(argc - 1, argv + 1);
    if (!strcmp(cmd, "mpirun"))
        return cmd_mpirun(argc - 1, argv + 1);
    if (!strcmp(cmd, "disasm"))
        return cmd_disasm(argc - 1, argv + 1);
    if (!strcmp(cmd, "sweep"))
        return sim_sweep_main(argc - 1, argv + 1, run_option_arity, NULL);
    if (!strcmp(cmd, "plot"))
        return sim_plot_main(argc - 1, argv + 1);
    if (!strcmp(cmd, "stats-fields")) {
        /* docs/stats.md's field tables, from the registry. */
        sim_stats_markdown(stdout);
        return 0;
    }
    if (!strcmp(cmd, "protocol"))
        return cmd_protocol(argc - 1, argv + 1);
    if (!strcmp(cmd, "keys")) {
        /* docs/keys.md's table, from the window's key table. */
        vis_keys_markdown(stdout);
        return 0;
    }
    fprintf(stderr, "parsim: unknown command '%s' (parsim --help lists "
            "them)\n", cmd);
    return SIM_EXIT_USAGE;
}
