/* semihost.h — RISC-V semihosting (the Arm semihosting calls, reached by
 * slli x0,x0,0x1f; ebreak; srai x0,x0,7), the way picolibc and QEMU use
 * it: console and file I/O, clocks, the command line, heap info, exit.
 *
 * May depend on: isa/ (guest registers and memory), the host C library.
 */
#ifndef PARSIM_SIM_SEMIHOST_H
#define PARSIM_SIM_SEMIHOST_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "isa/isa.h"

/* Operation numbers (Arm semihosting v2, used unchanged by RISC-V). */
enum {
    SH_SYS_OPEN = 0x01, SH_SYS_CLOSE = 0x02, SH_SYS_WRITEC = 0x03,
    SH_SYS_WRITE0 = 0x04, SH_SYS_WRITE = 0x05, SH_SYS_READ = 0x06,
    SH_SYS_READC = 0x07, SH_SYS_ISERROR = 0x08, SH_SYS_ISTTY = 0x09,
    SH_SYS_SEEK = 0x0a, SH_SYS_FLEN = 0x0c, SH_SYS_TMPNAM = 0x0d,
    SH_SYS_REMOVE = 0x0e, SH_SYS_RENAME = 0x0f, SH_SYS_CLOCK = 0x10,
    SH_SYS_TIME = 0x11, SH_SYS_SYSTEM = 0x12, SH_SYS_ERRNO = 0x13,
    SH_SYS_GET_CMDLINE = 0x15, SH_SYS_HEAPINFO = 0x16, SH_SYS_EXIT = 0x18,
    SH_SYS_EXIT_EXTENDED = 0x20, SH_SYS_ELAPSED = 0x30,
    SH_SYS_TICKFREQ = 0x31
};

#define SH_ADP_STOPPED_APPLICATION_EXIT 0x20026
#define SH_MAX_FILES 64

typedef struct SimSemihost {
    FILE *out;            /* guest stdout (":tt" opened for writing) */
    FILE *err;            /* guest stderr (":tt" opened for append) */
    FILE *in;             /* guest stdin */
    char *cmdline;        /* what SYS_GET_CMDLINE returns */
    uint32_t heap_base, heap_limit, stack_base, stack_limit;
    uint64_t clock_hz;    /* simulated clock: SYS_CLOCK/ELAPSED count it */
    int guest_errno;
    /* Open handles.  Kinds: 0 free, 1 console in, 2 console out,
     * 3 console err, 4 host file, 5 the :semihosting-features file. */
    struct { int kind; int fd; uint32_t pos; } files[SH_MAX_FILES];
    bool exited;
    int exit_status;
    /* The host-file sandbox (sim_semihost_sandbox): files only under
     * fs_root (fs_root_fd), none at all, or anywhere. */
    int fs_mode;          /* SimHostFs */
    int fs_root_fd;       /* SIM_FS_ROOT: the root directory (O_PATH) */
    char *fs_root;        /* its real path */
    uint64_t fs_refused;  /* opens, removes, renames refused */
    /* Called before console output reaches the host (NULL: nothing):
     * the machine clears its progress line there. */
    void (*before_output)(void *ctx);
    void *before_ctx;
    /* Console output is buffered per hart and written a whole line at a
     * time, so that lines of different harts never interleave. */
    uint32_t nharts;
    struct SimConsoleLine { char *buf; size_t len; } *line; /* [hart][2] */
    /* Bytes of console output so far ([0] stdout, [1] stderr), and how
     * many of the first of them not to write: a run replayed (the window
     * stepping back) has already shown them. */
    uint64_t written[2], skip[2];
} SimSemihost;

/* Where a program's files may be (--host-fs). */
typedef enum SimHostFs {
    SIM_FS_ROOT,          /* under one directory (default: the current) */
    SIM_FS_NONE,          /* no host file at all, only the console */
    SIM_FS_ALL            /* anywhere parsim may go (unsafe) */
} SimHostFs;

/* Confine the program's files: spec is "none", "all", or a directory
 * ("" or "." the current one).  Paths are resolved by the kernel beneath
 * the root (openat2 RESOLVE_BENEATH: "..", symlinks and absolute paths
 * cannot leave it; an absolute path inside it is taken relative to it),
 * only regular files open (no FIFO, device, directory), and remove and
 * rename act only on names beneath it.  A refused call fails in the
 * program as a missing file does (errno EACCES) and counts in
 * fs_refused.  False with a reason for a spec that names no directory. */
ISA_WARN_UNUSED bool sim_semihost_sandbox(SimSemihost *sh, const char *spec,
                                          char *err, size_t errlen);

/* Builds the command line SYS_GET_CMDLINE returns from argv: argv[0] is
 * the program path as given to parsim, the rest its arguments, joined
 * with spaces — what QEMU passes for -kernel PATH with the same
 * arguments; an argument that is empty or holds a space, a tab, a quote
 * or a backslash goes in double quotes (\" and \\ inside), which parsim's
 * start-up code undoes, so every argument arrives as it was given.
 * Returns false on allocation failure. */
ISA_WARN_UNUSED bool sim_semihost_init(SimSemihost *sh, int argc,
                                       char **argv);
/* That command line into out (NULL: only measure); returns its length
 * without the NUL. */
size_t sim_semihost_cmdline(int argc, char **argv, char *out);
void sim_semihost_free(SimSemihost *sh);

/* Give every one of n harts its console line buffers (call once, after
 * init).  Returns false on allocation failure. */
ISA_WARN_UNUSED bool sim_semihost_harts(SimSemihost *sh, uint32_t n);

/* Write out every hart's unfinished console line (end of run). */
void sim_semihost_flush(SimSemihost *sh);

/* Perform the call in a0 (operation) / a1 (argument) of hart h (whose
 * mhartid indexes the console buffers) and put the result in a0.  The simulated time is h->cycle.  Returns false with a
 * reason in err for a call parsim does not know; sh->exited is set by
 * SYS_EXIT and SYS_EXIT_EXTENDED. */
ISA_WARN_UNUSED bool sim_semihost_call(SimSemihost *sh, IsaHart *h,
                                       IsaMem *mem, char *err,
                                       size_t errlen);

#endif
