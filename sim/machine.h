/* machine.h — the simulated machine: configuration, assembly from it,
 * running a program to its end, and the report of how it ended.
 *
 * May depend on: isa/, models/, sim/elf.h, sim/semihost.h.
 */
#ifndef PARSIM_SIM_MACHINE_H
#define PARSIM_SIM_MACHINE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "isa/isa.h"
#include "models/flatmem.h"
#include "sim/elf.h"
#include "sim/semihost.h"

/* parsim's own exit statuses (a program's own status passes through). */
enum {
    SIM_EXIT_USAGE = 64,      /* bad command line or configuration */
    SIM_EXIT_BAD_ELF = 65,    /* the program file was rejected */
    SIM_EXIT_NO_INPUT = 66,   /* the program file cannot be read */
    SIM_EXIT_GUEST_FAULT = 70,/* illegal instruction, wild access, ... */
    SIM_EXIT_DEADLOCK = 71,   /* every hart waits for something nobody sends */
    SIM_EXIT_CYCLE_LIMIT = 124
};

typedef struct SimConfig {
    uint32_t ram_base;
    uint32_t ram_size;
    uint64_t clock_hz;
    uint64_t max_cycles;            /* 0: no limit */
    uint32_t cost[ISA_CLASS_COUNT]; /* cycles per instruction class */
    uint32_t mem_latency;           /* flat memory: extra cycles/access */
    bool timing;                    /* false: 1 cycle per instruction */
    bool guest_traps;               /* deliver exceptions to mtvec */
    bool quiet;                     /* no summary on stderr */
    bool progress;                  /* progress line on long runs */
} SimConfig;

void sim_config_defaults(SimConfig *c);

/* Set one configuration key ("core.mul_latency", "memory.latency", ...)
 * from text.  Returns false with a reason naming the key when the key is
 * unknown or the value bad. */
ISA_WARN_UNUSED bool sim_config_set(SimConfig *c, const char *key,
                                    const char *value, char *err,
                                    size_t errlen);

/* Print every key with its current value and meaning. */
void sim_config_print_keys(const SimConfig *c, FILE *f);

/* Parse "128M", "64K", "4096", "1G" into bytes. */
ISA_WARN_UNUSED bool sim_parse_size(const char *s, uint64_t *out);

typedef struct SimMachine {
    SimConfig cfg;
    IsaMem mem;
    IsaEnv env;
    IsaHart hart;
    FlatMem flat;
    SimSemihost sh;
    const SimProgram *prog;
    double host_seconds;
    int status;               /* exit status of the run */
} SimMachine;

/* Build the machine, load prog and set argv (argv[0] is the program's
 * name as the guest sees it).  Returns false with a reason in err. */
ISA_WARN_UNUSED bool sim_machine_init(SimMachine *m, const SimConfig *cfg,
                                      const SimProgram *prog, int argc,
                                      char **argv, char *err, size_t errlen);
void sim_machine_free(SimMachine *m);

/* Run to the end.  Returns the exit status: the program's own, or one of
 * SIM_EXIT_* after a one-line message on stderr. */
int sim_machine_run(SimMachine *m);

/* The end-of-run summary (instructions, cycles, IPC, host time, MIPS). */
void sim_machine_summary(const SimMachine *m, FILE *f);

#endif
