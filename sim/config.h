/* config.h — the machine configuration: every parameter as a
 * "section.key", settable from an INI machine file (libinih), from
 * `--set section.key=value`, or from a dedicated option.  An unknown key,
 * a bad value or an impossible combination is an error naming the key,
 * never a silent default.
 *
 * May depend on: isa/isa.h (instruction classes), libinih.
 */
#ifndef PARSIM_SIM_CONFIG_H
#define PARSIM_SIM_CONFIG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "isa/isa.h"

#define SIM_MAX_HARTS 64

typedef enum SimMtPolicy {
    SIM_MT_INTERLEAVED,       /* issue from the next ready thread each cycle */
    SIM_MT_SWITCH_ON_STALL    /* run one thread until it stalls */
} SimMtPolicy;

typedef enum SimMode {
    SIM_MODE_DETERMINISTIC,   /* one host thread, harts in global time order */
    SIM_MODE_PARALLEL         /* cores on host threads, lax synchronisation */
} SimMode;

typedef enum SimMemModel { SIM_MEM_HIERARCHY, SIM_MEM_FLAT } SimMemModel;

/* A cache's parameters as configured ("l1d", "l2", "llc"). */
typedef struct SimCacheConfig {
    uint32_t size, assoc, line, latency, repl;
} SimCacheConfig;

typedef struct SimConfig {
    char name[64];                  /* machine name (from its file) */
    uint32_t cores;
    uint32_t threads_per_core;
    uint32_t ram_base;
    uint32_t ram_size;
    uint64_t clock_hz;
    uint64_t max_cycles;            /* 0: no limit */
    uint32_t cost[ISA_CLASS_COUNT]; /* cycles per instruction class */
    uint32_t mem_latency;           /* flat memory: extra cycles/access */
    bool mem_latency_set;           /* memory.latency was given */
    uint32_t mem_model;             /* SimMemModel */
    uint32_t dram_latency;          /* hierarchy: memory controller */
    uint32_t mem_bytes_per_cycle;
    SimCacheConfig l1d, l2, llc;    /* l2.size 0: no L2 */
    uint32_t protocol;              /* CohProtocol */
    uint32_t organisation;          /* 0 auto, 1 snoop, 2 directory */
    uint32_t dir_latency;
    bool coh_check;                 /* the invariant checker */
    uint32_t store_buffer;          /* entries per hart (0: none) */
    bool hit_filter;                /* core.hit_filter */
    uint32_t coh_busy;              /* 0 queue, 1 nack */
    uint32_t nack_retry;
    uint32_t noc_topology;          /* 0 auto, else NocTopology + 1 */
    uint32_t noc_width;             /* mesh/torus; 0: as square as fits */
    uint32_t link_latency, router_latency, link_bytes_per_cycle;
    uint32_t ctrl_bytes;
    uint32_t numa_nodes, placement, bound_node, page_size;
    uint32_t ranks;                 /* message passing: nodes with private
                                       memories, one rank each; 0: none */
    uint32_t cores_per_node;        /* with ranks */
    uint32_t mp_o_send, mp_o_recv;  /* LogGP o: CPU cycles per message */
    uint32_t mp_gap;                /* LogGP g: cycles between messages */
    uint32_t mp_eager;              /* eager threshold, bytes */
    uint32_t mp_packet, mp_header;  /* bytes of payload, header a packet */
    uint32_t mp_allreduce, mp_alltoall;   /* algorithm choices (enums) */
    uint32_t mt_policy;             /* SimMtPolicy */
    uint32_t switch_penalty;        /* cycles to switch threads on a stall */
    uint32_t stall_threshold;       /* stalls this long (or longer) switch */
    uint32_t wake_latency;          /* cycles from WAKE to the woken hart */
    uint32_t resv_bytes;            /* an LR's reservation set: a power of
                                       two (IsaMem.resv_bytes) */
    uint32_t mode;                  /* SimMode */
    uint32_t host_threads;          /* parallel mode */
    uint32_t quantum;               /* parallel mode: cycles per barrier */
    uint32_t granularity;           /* deterministic: cycles a hart may run
                                       past the next one before switching */
    uint32_t stack_size;            /* bytes of stack per hart (parsim-cc
                                       programs' start-up code asks) */
    bool timing;                    /* false: 1 cycle per instruction */
    bool decoded_blocks;            /* IsaEnv.blocks: the block engine */
    bool guest_traps;               /* deliver exceptions to mtvec */
    bool quiet;                     /* no summary on stderr */
    bool progress;                  /* progress line on long runs */
    struct {                        /* the SIMT GPU array (sim/gpu.c) */
        uint32_t sms;               /* streaming multiprocessors; 0: none */
        uint32_t warp_size;
        uint32_t max_warps, max_blocks;     /* resident, per SM */
        uint32_t registers;         /* 4-byte registers per SM */
        uint32_t smem_size, smem_banks, smem_latency;
        uint32_t scheduler;         /* 0 loose round-robin, 1 GTO */
        uint32_t alu_latency, atomic_cycles;
        uint32_t l1_size, l1_assoc, l1_latency;
        uint32_t l2_size, l2_assoc, l2_latency, l2_bytes_per_cycle;
        uint32_t memory;            /* 0 unified, 1 discrete */
        uint32_t mem_latency, mem_bytes_per_cycle;
        uint32_t link_latency, link_bytes_per_cycle;
        uint32_t launch_latency;
        uint32_t stack_size;        /* bytes per thread */
        uint32_t starve_limit;      /* issues before a starved path runs */
        bool sms_set;               /* gpu.sms was given (not the default) */
    } gpu;
    char host_fs[512];              /* the program's host files: a directory
                                       ("" the current one), "none", "all" */
    /* The keys the command line gave (sim_config_give), by their index in
     * --list-keys' order: one the machine would not use is an error. */
    uint64_t given[2];
} SimConfig;

void sim_config_defaults(SimConfig *c);

/* Set one configuration key ("core.mul_latency", "memory.latency", ...)
 * from text.  Returns false with a reason naming the key when the key is
 * unknown or the value bad. */
ISA_WARN_UNUSED bool sim_config_set(SimConfig *c, const char *key,
                                    const char *value, char *err,
                                    size_t errlen);

/* sim_config_set for a key the command line gives (--set, --cores, ...):
 * the same, and sim_config_check then refuses it when the machine would
 * ignore it (l2.latency with the L2 off, core.switch_penalty on a core
 * of one thread).  A machine file's keys are not checked so: a preset
 * sets keys for every use of it. */
ISA_WARN_UNUSED bool sim_config_give(SimConfig *c, const char *key,
                                     const char *value, char *err,
                                     size_t errlen);

/* Does the machine keep its caches coherent by snooping on a bus (the
 * "auto" organisation resolved), rather than with a directory? */
bool sim_config_snoops(const SimConfig *c);

/* Load an INI machine file: [section] key = value lines, the same keys
 * as --set.  `name` is a path, or the name of a preset shipped in
 * configs/ ("smp4" finds configs/smp4.ini).  libinih parses it, after a
 * check of every line here: lines of any length, and none that inih would
 * take other than as written (a continuation line, a NUL byte, a lone
 * CR).  Fails with "FILE:LINE: why" in err. */
ISA_WARN_UNUSED bool sim_config_load(SimConfig *c, const char *name,
                                     char *err, size_t errlen);

/* Check the combination (e.g. too many harts for the stacks); fails with
 * a reason. */
ISA_WARN_UNUSED bool sim_config_check(const SimConfig *c, char *err,
                                      size_t errlen);

/* A machine with ranks: machine.cores and numa.nodes follow from
 * mp.ranks and mp.cores_per_node.  Does nothing without ranks.  Call
 * before sim_config_check. */
void sim_config_resolve(SimConfig *c);

/* Print every key with its current value and meaning. */
void sim_config_print_keys(const SimConfig *c, FILE *f);

/* Every key, in the order --list-keys prints them: key i's name, and its
 * value as text in val (number: it is a number, or a 0/1 switch). */
size_t sim_config_key_count(void);
const char *sim_config_key_at(const SimConfig *c, size_t i, char *val,
                              size_t len, bool *number);

/* The short names a sweep and a plot take for the keys swept most:
 * "cores" -> "machine.cores", "threads", "ranks"; NULL for any other
 * name.  sim_config_short_name is the other way round. */
const char *sim_config_short_key(const char *name);
const char *sim_config_short_name(const char *key);

/* A count in plain decimal, as the keys take it (no sign, space or 0x):
 * false otherwise. */
ISA_WARN_UNUSED bool sim_parse_count(const char *s, uint64_t *out);

/* Parse "128M", "64K", "4096", "1G" into bytes. */
ISA_WARN_UNUSED bool sim_parse_size(const char *s, uint64_t *out);

/* Directory of the shipped presets (configs/). */
const char *sim_config_dir(void);

#endif
