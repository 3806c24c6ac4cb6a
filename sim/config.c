/* config.c — machine parameters: the key table, --set, INI machine
 * files through libinih (each line checked here first), and the checks on
 * their combination. */
#include "sim/config.h"

#include <ctype.h>
#include <errno.h>
#include <ini.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#ifndef PARSIM_CONFIG_DIR
#define PARSIM_CONFIG_DIR "configs"
#endif

enum { K_U32, K_U64, K_SIZE, K_BOOL, K_ENUM, K_STR };

typedef struct ConfigKey {
    const char *name;
    int kind;
    size_t off;
    uint64_t min, max;
    const char *help;
    const char *const *names;   /* K_ENUM: value names, index = value */
} ConfigKey;

static const char *const mt_names[] = {"interleaved", "switch_on_stall", NULL};
static const char *const model_names[] = {"hierarchy", "flat", NULL};
static const char *const repl_names[] = {"lru", "plru", "random", NULL};
static const char *const protocol_names[] = {"msi", "mesi", "moesi", NULL};
static const char *const org_names[] = {"auto", "snoop", "directory", NULL};
static const char *const busy_names[] = {"queue", "nack", NULL};
static const char *const topo_names[] = {"auto", "bus", "crossbar", "ring",
                                         "mesh", "torus", NULL};
static const char *const place_names[] = {"interleaved", "first_touch",
                                          "bound", NULL};

#define CACHE_KEYS(sec, field, what)                                        \
    {sec ".size", K_SIZE, offsetof(SimConfig, field.size), 0, 1u << 30,     \
     what ": bytes" , NULL},                                                 \
    {sec ".assoc", K_U32, offsetof(SimConfig, field.assoc), 1, 1u << 20,    \
     what ": ways per set", NULL},                                           \
    {sec ".line", K_U32, offsetof(SimConfig, field.line), 4, 4096,          \
     what ": bytes per line", NULL},                                         \
    {sec ".latency", K_U32, offsetof(SimConfig, field.latency), 0, 100000,  \
     what ": cycles of a hit", NULL},                                        \
    {sec ".replacement", K_ENUM, offsetof(SimConfig, field.repl), 0, 2,     \
     what ": lru, plru or random (fixed seed)", repl_names}
static const char *const allreduce_names[] = {"auto", "recursive_doubling",
                                             "ring", NULL};
static const char *const alltoall_names[] = {"auto", "linear", "pairwise",
                                            NULL};
static const char *const mode_names[] = {"deterministic", "parallel", NULL};
static const char *const sched_names[] = {"lrr", "gto", NULL};
static const char *const gmem_names[] = {"unified", "discrete", NULL};

#define GPU(f) offsetof(SimConfig, gpu.f)

#define COST(cls) offsetof(SimConfig, cost) + (cls) * sizeof(uint32_t)

static const ConfigKey keys[] = {
    {"machine.name", K_STR, offsetof(SimConfig, name), 0, 0,
     "a name for reports", NULL},
    {"machine.cores", K_U32, offsetof(SimConfig, cores), 1, SIM_MAX_HARTS,
     "number of cores", NULL},
    {"machine.threads_per_core", K_U32, offsetof(SimConfig, threads_per_core),
     1, 8, "hardware threads (harts) per core", NULL},
    {"machine.ram_size", K_SIZE, offsetof(SimConfig, ram_size), 64 << 10,
     0x7ffff000u, "bytes of RAM at 0x80000000 (K/M/G suffixes)", NULL},
    {"machine.clock_hz", K_U64, offsetof(SimConfig, clock_hz), 100,
     UINT64_MAX / 2, "simulated clock, for SYS_CLOCK and SYS_ELAPSED", NULL},
    {"run.host_fs", K_STR, offsetof(SimConfig, host_fs), 0,
     sizeof ((SimConfig *)0)->host_fs, "--host-fs: the directory the "
     "program's files must be in (empty: where parsim started), none, or "
     "all (unsafe)", NULL},
    {"run.max_cycles", K_U64, offsetof(SimConfig, max_cycles), 0, UINT64_MAX,
     "stop the run after this many cycles (0: no limit)", NULL},
    {"run.timing", K_BOOL, offsetof(SimConfig, timing), 0, 1,
     "0: functional only, every instruction costs 1 cycle", NULL},
    {"run.guest_traps", K_BOOL, offsetof(SimConfig, guest_traps), 0, 1,
     "1: exceptions go to the program's mtvec handler instead of ending "
     "the run", NULL},
    {"run.mode", K_ENUM, offsetof(SimConfig, mode), 0, 1,
     "deterministic (one host thread, exact) or parallel", mode_names},
    {"run.host_threads", K_U32, offsetof(SimConfig, host_threads), 1, 256,
     "parallel mode: host threads the cores are spread over", NULL},
    {"run.quantum", K_U32, offsetof(SimConfig, quantum), 10, 10000000,
     "parallel mode: cycles each core runs between barriers", NULL},
    {"run.granularity", K_U32, offsetof(SimConfig, granularity), 1, 1000000,
     "cycles a hart may run past the next hart before switching", NULL},
    {"run.stack_size", K_SIZE, offsetof(SimConfig, stack_size), 4096,
     16u << 20, "bytes of stack per hart for parsim-cc programs (a multiple "
     "of 16); a hart whose stack grows past it stops the run", NULL},
    {"core.alu_latency", K_U32, COST(ISA_CLASS_ALU), 1, 1000,
     "cycles of an integer ALU instruction", NULL},
    {"core.branch_latency", K_U32, COST(ISA_CLASS_BRANCH), 1, 1000,
     "cycles of a conditional branch", NULL},
    {"core.jump_latency", K_U32, COST(ISA_CLASS_JUMP), 1, 1000,
     "cycles of jal/jalr", NULL},
    {"core.load_latency", K_U32, COST(ISA_CLASS_LOAD), 1, 1000,
     "cycles to issue a load (memory.latency comes on top)", NULL},
    {"core.store_latency", K_U32, COST(ISA_CLASS_STORE), 1, 1000,
     "cycles to issue a store (memory.latency comes on top)", NULL},
    {"core.amo_latency", K_U32, COST(ISA_CLASS_AMO), 1, 1000,
     "cycles to issue an atomic (memory.latency comes on top)", NULL},
    {"core.mul_latency", K_U32, COST(ISA_CLASS_MUL), 1, 1000,
     "cycles of mul/mulh/mulhsu/mulhu", NULL},
    {"core.div_latency", K_U32, COST(ISA_CLASS_DIV), 1, 1000,
     "cycles of div/divu/rem/remu", NULL},
    {"core.fadd_latency", K_U32, COST(ISA_CLASS_FADD), 1, 1000,
     "cycles of fadd.s/fsub.s", NULL},
    {"core.fmul_latency", K_U32, COST(ISA_CLASS_FMUL), 1, 1000,
     "cycles of fmul.s", NULL},
    {"core.ffma_latency", K_U32, COST(ISA_CLASS_FFMA), 1, 1000,
     "cycles of fmadd.s and the other fused ops", NULL},
    {"core.fdiv_latency", K_U32, COST(ISA_CLASS_FDIV), 1, 1000,
     "cycles of fdiv.s", NULL},
    {"core.fsqrt_latency", K_U32, COST(ISA_CLASS_FSQRT), 1, 1000,
     "cycles of fsqrt.s", NULL},
    {"core.fcvt_latency", K_U32, COST(ISA_CLASS_FCVT), 1, 1000,
     "cycles of fcvt.*", NULL},
    {"core.fmisc_latency", K_U32, COST(ISA_CLASS_FMISC), 1, 1000,
     "cycles of fsgnj/fmin/fmax/compares/fclass/fmv", NULL},
    {"core.system_latency", K_U32, COST(ISA_CLASS_SYSTEM), 1, 1000,
     "cycles of csr*/fence/ecall/ebreak/mret", NULL},
    {"core.mt_policy", K_ENUM, offsetof(SimConfig, mt_policy), 0, 1,
     "how a core's threads share it: interleaved or switch_on_stall",
     mt_names},
    {"core.switch_penalty", K_U32, offsetof(SimConfig, switch_penalty), 0,
     1000, "switch_on_stall: cycles lost switching threads", NULL},
    {"core.stall_threshold", K_U32, offsetof(SimConfig, stall_threshold), 1,
     100000, "switch_on_stall: a stall this long (or longer) switches", NULL},
    {"core.wake_latency", K_U32, offsetof(SimConfig, wake_latency), 0,
     1000000, "cycles from a WAKE until the woken hart runs", NULL},
    {"core.decoded_blocks", K_BOOL, offsetof(SimConfig, decoded_blocks), 0,
     1, "run straight-line code from decoded blocks (the same results, "
     "faster); 0: one instruction at a time", NULL},
    {"core.reservation_bytes", K_SIZE, offsetof(SimConfig, resv_bytes),
     ISA_RESV_BYTES_MIN, ISA_RESV_BYTES_MAX, "bytes an LR reserves (a power "
     "of two): another hart's store into them makes the SC fail", NULL},
    {"memory.model", K_ENUM, offsetof(SimConfig, mem_model), 0, 1,
     "hierarchy (caches, coherence, NUMA, interconnect) or flat",
     model_names},
    {"memory.latency", K_U32, offsetof(SimConfig, mem_latency), 0, 100000,
     "flat model: extra cycles of every data access", NULL},
    {"memory.dram_latency", K_U32, offsetof(SimConfig, dram_latency), 1,
     100000, "hierarchy: cycles of a memory controller access", NULL},
    {"memory.bytes_per_cycle", K_U32, offsetof(SimConfig,
     mem_bytes_per_cycle), 1, 4096, "hierarchy: memory controller bandwidth",
     NULL},
    CACHE_KEYS("l1d", l1d, "private L1 data cache"),
    CACHE_KEYS("l2", l2, "private L2 (size 0: none)"),
    CACHE_KEYS("llc", llc, "last-level cache, per NUMA node slice"),
    {"coherence.protocol", K_ENUM, offsetof(SimConfig, protocol), 0, 2,
     "msi, mesi or moesi", protocol_names},
    {"coherence.organisation", K_ENUM, offsetof(SimConfig, organisation), 0,
     2, "snoop (a shared bus), directory, or auto (snoop on one node of at "
     "most 8 cores)", org_names},
    {"coherence.dir_latency", K_U32, offsetof(SimConfig, dir_latency), 0,
     100000, "cycles of a directory lookup at the home node", NULL},
    {"core.store_buffer", K_U32, offsetof(SimConfig, store_buffer), 0, 64,
     "hierarchy: entries of each hart's store buffer (0: a store waits "
     "until it is done)", NULL},
    {"core.hit_filter", K_BOOL, offsetof(SimConfig, hit_filter), 0, 1,
     "hierarchy: each hart's filter of lines known to hit in its L1 (a "
     "hit there skips the lookup; the same statistics and cycles either "
     "way, without a store buffer)", NULL},
    {"coherence.busy", K_ENUM, offsetof(SimConfig, coh_busy), 0, 1,
     "a request for a line the home is busy with: queue (waits its turn) or "
     "nack (sent back, tried again)", busy_names},
    {"coherence.nack_retry", K_U32, offsetof(SimConfig, nack_retry), 0,
     100000, "cycles a NACKed requester waits before it asks again", NULL},
    {"coherence.check", K_BOOL, offsetof(SimConfig, coh_check), 0, 1,
     "check the coherence invariants at every transaction "
     "(--check-coherence)", NULL},
    {"noc.topology", K_ENUM, offsetof(SimConfig, noc_topology), 0, 5,
     "bus, crossbar, ring, mesh, torus, or auto (bus when snooping, else "
     "mesh)", topo_names},
    {"noc.width", K_U32, offsetof(SimConfig, noc_width), 0, 64,
     "mesh/torus columns (0: as square as the cores allow)", NULL},
    {"noc.link_latency", K_U32, offsetof(SimConfig, link_latency), 0, 10000,
     "cycles per link", NULL},
    {"noc.router_latency", K_U32, offsetof(SimConfig, router_latency), 0,
     10000, "cycles per router passed through", NULL},
    {"noc.bytes_per_cycle", K_U32, offsetof(SimConfig, link_bytes_per_cycle),
     1, 4096, "link bandwidth", NULL},
    {"noc.ctrl_bytes", K_U32, offsetof(SimConfig, ctrl_bytes), 1, 4096,
     "bytes of a control message (a data message adds a line)", NULL},
    {"numa.nodes", K_U32, offsetof(SimConfig, numa_nodes), 1, 64,
     "NUMA nodes (each: an LLC slice, a directory, a memory controller)",
     NULL},
    {"numa.placement", K_ENUM, offsetof(SimConfig, placement), 0, 2,
     "pages to nodes: interleaved, first_touch or bound", place_names},
    {"numa.bound_node", K_U32, offsetof(SimConfig, bound_node), 0, 63,
     "numa.placement = bound: the node", NULL},
    {"numa.page_size", K_SIZE, offsetof(SimConfig, page_size), 64, 1u << 30,
     "bytes per page for placement", NULL},
    {"mp.ranks", K_U32, offsetof(SimConfig, ranks), 0, 64,
     "message passing (--ranks): nodes with private memories, one MPI rank "
     "each; sets machine.cores and numa.nodes (0: one shared memory)", NULL},
    {"mp.cores_per_node", K_U32, offsetof(SimConfig, cores_per_node), 1, 64,
     "with ranks: cores per node, coherent within the node", NULL},
    {"mp.send_overhead", K_U32, offsetof(SimConfig, mp_o_send), 0, 1000000,
     "LogGP o on the sender: CPU cycles per message sent", NULL},
    {"mp.recv_overhead", K_U32, offsetof(SimConfig, mp_o_recv), 0, 1000000,
     "LogGP o on the receiver: CPU cycles per message received", NULL},
    {"mp.gap", K_U32, offsetof(SimConfig, mp_gap), 0, 1000000,
     "LogGP g: least cycles between two messages leaving an interface",
     NULL},
    {"mp.eager_threshold", K_SIZE, offsetof(SimConfig, mp_eager), 0,
     1u << 30, "largest message sent eagerly; longer ones wait for the "
     "receive (rendezvous)", NULL},
    {"mp.packet_bytes", K_SIZE, offsetof(SimConfig, mp_packet), 1, 1u << 20,
     "payload bytes per packet", NULL},
    {"mp.header_bytes", K_U32, offsetof(SimConfig, mp_header), 0, 4096,
     "header bytes per packet (a request- or clear-to-send is one header)",
     NULL},
    {"mp.allreduce", K_ENUM, offsetof(SimConfig, mp_allreduce), 0, 2,
     "MPI_Allreduce: auto (by size), recursive_doubling or ring",
     allreduce_names},
    {"mp.alltoall", K_ENUM, offsetof(SimConfig, mp_alltoall), 0, 2,
     "MPI_Alltoall: auto (by size), linear or pairwise", alltoall_names},
    {"gpu.sms", K_U32, GPU(sms), 0, 64,
     "streaming multiprocessors of the GPU array (0: no GPU)", NULL},
    {"gpu.warp_size", K_U32, GPU(warp_size), 1, 32,
     "lanes (threads) per warp", NULL},
    {"gpu.max_warps_per_sm", K_U32, GPU(max_warps), 1, 64,
     "resident warps per SM at most", NULL},
    {"gpu.max_blocks_per_sm", K_U32, GPU(max_blocks), 1, 32,
     "resident blocks per SM at most", NULL},
    {"gpu.registers_per_sm", K_U32, GPU(registers), 64, 1u << 20,
     "4-byte registers per SM; a thread holds 64 (x0-x31, f0-f31)", NULL},
    {"gpu.smem_size", K_SIZE, GPU(smem_size), 0, 1u << 20,
     "shared memory per SM, bytes (a block holds the program's __shared__ "
     "variables)", NULL},
    {"gpu.smem_banks", K_U32, GPU(smem_banks), 1, 64,
     "shared-memory banks of 4-byte words", NULL},
    {"gpu.smem_latency", K_U32, GPU(smem_latency), 1, 10000,
     "cycles of a conflict-free shared-memory access", NULL},
    {"gpu.scheduler", K_ENUM, GPU(scheduler), 0, 1,
     "warp scheduler: lrr (loose round-robin) or gto (greedy then oldest)",
     sched_names},
    {"gpu.alu_latency", K_U32, GPU(alu_latency), 1, 1000,
     "cycles before a warp's next instruction after an arithmetic one "
     "(at least the core's latency of its class)", NULL},
    {"gpu.atomic_cycles", K_U32, GPU(atomic_cycles), 1, 1000,
     "cycles per lane an atomic on one address is serialised for", NULL},
    {"gpu.l1_size", K_SIZE, GPU(l1_size), 128, 1u << 24,
     "GPU L1 per SM, bytes (128-byte lines of 32-byte sectors)", NULL},
    {"gpu.l1_assoc", K_U32, GPU(l1_assoc), 1, 1024, "GPU L1: ways per set",
     NULL},
    {"gpu.l1_latency", K_U32, GPU(l1_latency), 1, 10000,
     "GPU L1: cycles of a hit", NULL},
    {"gpu.l2_size", K_SIZE, GPU(l2_size), 128, 1u << 28,
     "GPU L2 (all SMs), bytes", NULL},
    {"gpu.l2_assoc", K_U32, GPU(l2_assoc), 1, 1024, "GPU L2: ways per set",
     NULL},
    {"gpu.l2_latency", K_U32, GPU(l2_latency), 1, 10000,
     "GPU L2: cycles of a hit beyond the L1's", NULL},
    {"gpu.l2_bytes_per_cycle", K_U32, GPU(l2_bytes_per_cycle), 1, 4096,
     "GPU L2 bandwidth, bytes per cycle", NULL},
    {"gpu.memory", K_ENUM, GPU(memory), 0, 1,
     "unified (kernels use the program's RAM) or discrete (device memory "
     "from gpu_malloc, copies over a link)", gmem_names},
    {"gpu.mem_latency", K_U32, GPU(mem_latency), 1, 100000,
     "device memory (discrete, or the flat memory model): cycles", NULL},
    {"gpu.mem_bytes_per_cycle", K_U32, GPU(mem_bytes_per_cycle), 1, 4096,
     "device memory bandwidth, bytes per cycle", NULL},
    {"gpu.link_latency", K_U32, GPU(link_latency), 0, 1000000,
     "discrete: cycles of a copy over the host link before its bytes",
     NULL},
    {"gpu.link_bytes_per_cycle", K_U32, GPU(link_bytes_per_cycle), 1, 4096,
     "discrete: host link bandwidth, bytes per cycle", NULL},
    {"gpu.launch_latency", K_U32, GPU(launch_latency), 0, 1000000,
     "cycles from gpu_launch to the kernel's first block", NULL},
    {"gpu.stack_size", K_SIZE, GPU(stack_size), 256, 1u << 16,
     "stack bytes per GPU thread", NULL},
    {"gpu.starve_limit", K_U32, GPU(starve_limit), 1, 1000000,
     "issues a warp's other paths may wait before the longest-waiting one "
     "runs (no livelock in a spin loop)", NULL},
};

void sim_config_defaults(SimConfig *c)
{
    memset(c, 0, sizeof *c);
    c->ram_base = 0x80000000u;
    c->ram_size = 128u << 20;
    c->cores_per_node = 1;
    c->mp_o_send = 100;
    c->mp_o_recv = 100;
    c->mp_gap = 20;
    c->mp_eager = 4096;
    c->mp_packet = 256;
    c->mp_header = 16;
    c->clock_hz = 1000000000u;
    c->timing = true;
    c->hit_filter = true;
    c->decoded_blocks = true;
    c->progress = true;
    for (int i = 0; i < ISA_CLASS_COUNT; i++)
        c->cost[i] = 1;
    c->cost[ISA_CLASS_MUL] = 3;
    c->cost[ISA_CLASS_DIV] = 20;
    c->cost[ISA_CLASS_FADD] = 4;
    c->cost[ISA_CLASS_FMUL] = 4;
    c->cost[ISA_CLASS_FFMA] = 5;
    c->cost[ISA_CLASS_FDIV] = 15;
    c->cost[ISA_CLASS_FSQRT] = 20;
    c->cost[ISA_CLASS_FCVT] = 3;
    c->mem_latency = 2;
    c->cores = 1;
    c->threads_per_core = 1;
    c->mt_policy = SIM_MT_INTERLEAVED;
    c->switch_penalty = 2;
    c->stall_threshold = 8;
    c->wake_latency = 20;
    c->resv_bytes = ISA_RESV_BYTES_DEFAULT;
    c->mode = SIM_MODE_DETERMINISTIC;
    c->host_threads = 2;
    c->quantum = 1000;
    c->granularity = 100;
    c->mem_model = SIM_MEM_HIERARCHY;
    c->dram_latency = 100;
    c->mem_bytes_per_cycle = 16;
    c->l1d = (SimCacheConfig){32 << 10, 8, 64, 2, 0};
    c->l2 = (SimCacheConfig){0, 8, 64, 10, 0};
    c->llc = (SimCacheConfig){2 << 20, 16, 64, 20, 0};
    c->protocol = 1;          /* MESI */
    c->organisation = 0;
    c->dir_latency = 5;
    c->nack_retry = 10;
    /* The test suite checks every run's coherence (docs/guide.md). */
    const char *chk = getenv("PARSIM_CHECK_COHERENCE");
    c->coh_check = chk && !strcmp(chk, "1");
    c->noc_topology = 0;
    c->link_latency = 2;
    c->router_latency = 1;
    c->link_bytes_per_cycle = 16;
    c->ctrl_bytes = 8;
    c->numa_nodes = 1;
    c->page_size = 4096;
    c->stack_size = 64 << 10;
    c->gpu.sms = 2;
    c->gpu.warp_size = 32;
    c->gpu.max_warps = 32;
    c->gpu.max_blocks = 16;
    c->gpu.registers = 65536;
    c->gpu.smem_size = 48 << 10;
    c->gpu.smem_banks = 32;
    c->gpu.smem_latency = 24;
    c->gpu.scheduler = 1;
    c->gpu.alu_latency = 4;
    c->gpu.atomic_cycles = 4;
    c->gpu.l1_size = 32 << 10;
    c->gpu.l1_assoc = 4;
    c->gpu.l1_latency = 28;
    c->gpu.l2_size = 512 << 10;
    c->gpu.l2_assoc = 16;
    c->gpu.l2_latency = 120;
    c->gpu.l2_bytes_per_cycle = 64;
    c->gpu.mem_latency = 200;
    c->gpu.mem_bytes_per_cycle = 256;
    c->gpu.link_latency = 5000;
    c->gpu.link_bytes_per_cycle = 8;
    c->gpu.launch_latency = 1000;
    c->gpu.stack_size = 2048;
    c->gpu.starve_limit = 64;
    snprintf(c->name, sizeof c->name, "default");
}

static const struct { const char *name, *key; } shorthands[] = {
    {"cores", "machine.cores"},
    {"threads", "machine.threads_per_core"},
    {"ranks", "mp.ranks"},
};

const char *sim_config_short_key(const char *name)
{
    for (size_t i = 0; i < sizeof shorthands / sizeof shorthands[0]; i++)
        if (!strcmp(name, shorthands[i].name))
            return shorthands[i].key;
    return NULL;
}

const char *sim_config_short_name(const char *key)
{
    for (size_t i = 0; i < sizeof shorthands / sizeof shorthands[0]; i++)
        if (!strcmp(key, shorthands[i].key))
            return shorthands[i].name;
    return NULL;
}

bool sim_parse_count(const char *s, uint64_t *out)
{
    if (*s < '0' || *s > '9')
        return false;
    char *end;
    errno = 0;
    unsigned long long x = strtoull(s, &end, 10);
    if (errno || *end)
        return false;
    *out = x;
    return true;
}

bool sim_parse_size(const char *s, uint64_t *out)
{
    errno = 0;
    char *end;
    /* Decimal digits first: no sign, no space, no 0x or leading-0 octal. */
    if (*s < '0' || *s > '9')
        return false;
    unsigned long long v = strtoull(s, &end, 10);
    if (errno || end == s)
        return false;
    unsigned shift = 0;
    switch (*end) {
    case 'k': case 'K': shift = 10; end++; break;
    case 'm': case 'M': shift = 20; end++; break;
    case 'g': case 'G': shift = 30; end++; break;
    default: break;
    }
    if ((*end == 'i' || *end == 'I') && shift)
        end++;
    if ((*end == 'b' || *end == 'B'))
        end++;
    if (*end || (shift && v > (UINT64_MAX >> shift)))
        return false;
    *out = (uint64_t)v << shift;
    return true;
}

/* Text as a message shows it: in quotes, a control byte as \xNN (never
 * an escape sequence on the terminal), and a long text as its start and
 * its length, so that the reason after it is never cut off the message. */
enum { QUOTE_BYTES = 40, QUOTE_LEN = 4 * QUOTE_BYTES + 48 };

static const char *quote(const char *s, char buf[QUOTE_LEN])
{
    size_t len = strlen(s), shown = len, n = 0;
    if (len > QUOTE_BYTES) {
        shown = QUOTE_BYTES;
        while (shown > 0 && ((unsigned char)s[shown] & 0xc0) == 0x80)
            shown--;                /* not inside a UTF-8 character */
    }
    buf[n++] = '\'';
    for (size_t i = 0; i < shown; i++) {
        unsigned char ch = (unsigned char)s[i];
        if (ch < 0x20 || ch == 0x7f)
            n += (size_t)snprintf(buf + n, QUOTE_LEN - n, "\\x%02x", ch);
        else
            buf[n++] = (char)ch;
    }
    if (shown < len)
        snprintf(buf + n, QUOTE_LEN - n, "...' (%zu characters)", len);
    else
        snprintf(buf + n, QUOTE_LEN - n, "'");
    return buf;
}

bool sim_config_set(SimConfig *c, const char *key, const char *value,
                    char *err, size_t errlen)
{
    char qk[QUOTE_LEN], qv[QUOTE_LEN];
    const ConfigKey *k = NULL;
    for (size_t i = 0; i < sizeof keys / sizeof keys[0]; i++)
        if (strcmp(keys[i].name, key) == 0)
            k = &keys[i];
    if (!k) {
        snprintf(err, errlen, "unknown configuration key %s (parsim run "
                 "--list-keys shows them)", quote(key, qk));
        return false;
    }
    uint64_t v = 0;
    bool ok;
    void *field = (char *)c + k->off;
    if (k->kind == K_STR) {
        size_t size = k->max ? (size_t)k->max : sizeof c->name;
        if (strlen(value) >= size) {
            snprintf(err, errlen, "%s: %s is longer than %zu characters",
                     key, quote(value, qv), size - 1);
            return false;
        }
        snprintf(field, size, "%s", value);
        return true;
    }
    if (k->kind == K_ENUM) {
        ok = false;
        for (int i = 0; k->names[i]; i++)
            if (!strcmp(value, k->names[i])) {
                v = (uint64_t)i;
                ok = true;
            }
        if (!ok) {
            int n = snprintf(err, errlen, "%s: bad value %s (one of:", key,
                             quote(value, qv));
            for (int i = 0; k->names[i] && n > 0 && (size_t)n < errlen; i++)
                n += snprintf(err + n, errlen - (size_t)n, " %s", k->names[i]);
            if (n > 0 && (size_t)n < errlen)
                snprintf(err + n, errlen - (size_t)n, ")");
            return false;
        }
    } else if (k->kind == K_BOOL) {
        ok = true;
        if (!strcmp(value, "1") || !strcmp(value, "true") ||
            !strcmp(value, "on") || !strcmp(value, "yes"))
            v = 1;
        else if (!strcmp(value, "0") || !strcmp(value, "false") ||
                 !strcmp(value, "off") || !strcmp(value, "no"))
            v = 0;
        else
            ok = false;
    } else if (k->kind == K_SIZE) {
        ok = sim_parse_size(value, &v);
    } else {
        char *end;
        errno = 0;
        /* A whole number in decimal: no sign, no space, no 0x. */
        ok = *value >= '0' && *value <= '9';
        v = strtoull(value, &end, 10);
        ok = ok && !errno && end != value && !*end;
    }
    if (!ok) {
        snprintf(err, errlen, "%s: bad value %s (%s expected)", key,
                 quote(value, qv), k->kind == K_BOOL ? "0 or 1"
                 : k->kind == K_SIZE ? "a size such as 64K or 128M"
                 : "a whole number");
        return false;
    }
    if (v < k->min || v > k->max) {
        snprintf(err, errlen, "%s: %s is out of range [%" PRIu64 ", %" PRIu64
                 "]", key, value, k->min, k->max);
        return false;
    }
    if (k->off == offsetof(SimConfig, gpu.sms))
        c->gpu.sms_set = true;
    /* memory.latency given for a hierarchy is a mistake; choosing the
     * model afterwards (a preset's flat latency, then the hierarchy) is
     * not. */
    if (k->off == offsetof(SimConfig, mem_latency))
        c->mem_latency_set = true;
    if (k->off == offsetof(SimConfig, mem_model))
        c->mem_latency_set = false;
    if (k->off == offsetof(SimConfig, stack_size) && (v & 15)) {
        snprintf(err, errlen, "%s: %s is not a multiple of 16", key, value);
        return false;
    }
    if (k->off == offsetof(SimConfig, resv_bytes) && (v & (v - 1))) {
        snprintf(err, errlen, "%s: %s is not a power of two (4, 8, 16, "
                 "..., 4096)", key, value);
        return false;
    }
    if (k->off == offsetof(SimConfig, ram_size) && (v & 0xfff)) {
        snprintf(err, errlen, "%s: %s is not a multiple of 4 KiB", key, value);
        return false;
    }
    switch (k->kind) {
    case K_U32: case K_SIZE: case K_ENUM: *(uint32_t *)field = (uint32_t)v; break;
    case K_U64: *(uint64_t *)field = v; break;
    case K_BOOL: *(bool *)field = v != 0; break;
    }
    return true;
}

size_t sim_config_key_count(void)
{
    return sizeof keys / sizeof keys[0];
}

const char *sim_config_key_at(const SimConfig *c, size_t i, char *val,
                              size_t len, bool *number)
{
    const ConfigKey *k = &keys[i];
    const void *field = (const char *)c + k->off;
    *number = k->kind != K_STR && k->kind != K_ENUM;
    if (k->kind == K_STR)
        snprintf(val, len, "%s", (const char *)field);
    else if (k->kind == K_ENUM)
        snprintf(val, len, "%s", k->names[*(const uint32_t *)field]);
    else
        snprintf(val, len, "%" PRIu64,
                 k->kind == K_U64 ? *(const uint64_t *)field
                 : k->kind == K_BOOL ? (uint64_t)*(const bool *)field
                 : (uint64_t)*(const uint32_t *)field);
    return k->name;
}

void sim_config_print_keys(const SimConfig *c, FILE *f)
{
    for (size_t i = 0; i < sizeof keys / sizeof keys[0]; i++) {
        char val[64];
        bool number;
        const char *name = sim_config_key_at(c, i, val, sizeof val, &number);
        fprintf(f, "  %-26s %-16s %s\n", name, val, keys[i].help);
    }
}

const char *sim_config_dir(void)
{
    const char *d = getenv("PARSIM_CONFIG_DIR");
    return d && *d ? d : PARSIM_CONFIG_DIR;
}

/* ---- machine files -----------------------------------------------------
 *
 * libinih parses them, but as Debian builds it (INI_USE_STACK,
 * INI_MAX_LINE 200, INI_ALLOW_MULTILINE; see /usr/include/ini.h) it would
 * take some files in a way nobody meant: a line longer than 199 bytes is
 * cut, and its rest parsed as the next line (a comment's tail could set a
 * key); an indented line continues the previous key's value; a NUL byte
 * ends a line early.  So parsim reads each line itself, splits it by
 * inih's own rules (split_line follows ini.c, r55, line for line), refuses
 * what inih would take silently, and hands inih every line that fits its
 * buffer as it is.  A line that does not fit reaches inih as what it
 * means: a section header as "[name]", a comment or blank as an empty
 * line; its key = value goes to on_ini_line from here, in file order, with
 * the section tracked here as inih tracks it.
 */

/* ini.c's MAX_SECTION: inih cuts a longer section name to 49 bytes. */
enum { INI_SECTION_MAX = 50 };

typedef struct IniCtx {
    SimConfig *c;
    char *err;
    size_t errlen;
    const char *path;
    FILE *f;
    char *line, *copy;          /* the line as read, and split in place */
    size_t line_cap, copy_cap;
    int lineno;                 /* the line inih is working on */
    char section[INI_SECTION_MAX];
    bool after_key;             /* inih's prev_name: an indented line here
                                   would continue that key's value */
    bool failed;
} IniCtx;

/* The first error wins: "FILE:LINE: why". */
__attribute__((format(printf, 2, 3)))
static void ini_fail(IniCtx *ctx, const char *fmt, ...)
{
    if (ctx->failed)
        return;
    ctx->failed = true;
    int n = snprintf(ctx->err, ctx->errlen, "%s:%d: ", ctx->path,
                     ctx->lineno);
    if (n < 0 || (size_t)n >= ctx->errlen)
        return;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(ctx->err + n, ctx->errlen - (size_t)n, fmt, ap);
    va_end(ap);
}

static int on_ini_line(void *user, const char *section, const char *name,
                       const char *value)
{
    IniCtx *ctx = user;
    if (ctx->failed)
        return 0;
    char q[QUOTE_LEN], why[512];
    if (!*section) {
        ini_fail(ctx, "key %s is in no [section] (keys go under [machine], "
                 "[core], ...)", quote(name, q));
        return 0;
    }
    size_t len = strlen(section) + 1 + strlen(name) + 1;
    char *key = malloc(len);
    if (!key) {
        ini_fail(ctx, "out of memory");
        return 0;
    }
    snprintf(key, len, "%s.%s", section, name);
    bool ok = sim_config_set(ctx->c, key, value, why, sizeof why);
    free(key);
    if (!ok) {
        ini_fail(ctx, "%s", why);
        return 0;
    }
    return 1;
}

/* ini.c's helpers, so that a line splits here exactly as it does there. */
static char *rstrip(char *s)
{
    char *p = s + strlen(s);
    while (p > s && isspace((unsigned char)*--p))
        *p = '\0';
    return s;
}

static char *lskip(char *s)
{
    while (*s && isspace((unsigned char)*s))
        s++;
    return s;
}

/* The first of chars, or an inline comment (a ';' after whitespace), or
 * the end. */
static char *find_chars_or_comment(char *s, const char *chars)
{
    bool was_space = false;
    while (*s && (!chars || !strchr(chars, *s)) &&
           !(was_space && *s == ';')) {
        was_space = isspace((unsigned char)*s) != 0;
        s++;
    }
    return s;
}

enum { INI_BAD = -1, INI_NOTHING, INI_SECTION, INI_PAIR };

static int not_a_line(IniCtx *ctx)
{
    ini_fail(ctx, "not a 'key = value' or '[section]' line");
    return INI_BAD;
}

/* One line as ini.c's ini_parse_stream splits it, in place: nothing (a
 * comment, a blank), a section (into ctx->section) or a key and value;
 * INI_BAD, with the reason, for a line inih would refuse or take in a way
 * the file does not say. */
static int split_line(IniCtx *ctx, char *line, char **name, char **value)
{
    char q[QUOTE_LEN], q2[QUOTE_LEN];
    if (ctx->lineno == 1 && !strncmp(line, "\xef\xbb\xbf", 3))
        line += 3;                  /* a UTF-8 BOM: inih skips it */
    char *s = lskip(rstrip(line));
    if (strchr(s, '\r')) {
        ini_fail(ctx, "a carriage return inside the line (lines end in LF "
                 "or CRLF)");
        return INI_BAD;
    }
    if (strchr(";#", *s))           /* a comment, or blank (*s is the NUL) */
        return INI_NOTHING;
    if (ctx->after_key && s > line) {
        ini_fail(ctx, "an indented line would continue the previous value: "
                 "%s (machine files have no continuation lines: remove the "
                 "indentation)", quote(s, q));
        return INI_BAD;
    }
    if (*s == '[') {
        char *end = find_chars_or_comment(s + 1, "]");
        if (*end != ']')
            return not_a_line(ctx);
        *end = '\0';
        char *rest = lskip(end + 1);
        if (*rest && *rest != ';') {    /* inih would ignore it */
            ini_fail(ctx, "section %s followed by %s (only a ; comment may "
                     "follow a section header)", quote(s + 1, q),
                     quote(rest, q2));
            return INI_BAD;
        }
        if (strlen(s + 1) >= sizeof ctx->section) {     /* inih cuts it */
            ini_fail(ctx, "section name %s is longer than %d characters",
                     quote(s + 1, q), INI_SECTION_MAX - 1);
            return INI_BAD;
        }
        strcpy(ctx->section, s + 1);
        ctx->after_key = false;
        return INI_SECTION;
    }
    char *end = find_chars_or_comment(s, "=:");
    if (*end != '=' && *end != ':')
        return not_a_line(ctx);
    *end = '\0';
    *name = rstrip(s);
    *value = end + 1;
    *find_chars_or_comment(*value, NULL) = '\0';
    *value = rstrip(lskip(*value));
    ctx->after_key = **name != '\0';
    return INI_PAIR;
}

/* inih's reader (fgets-like): the file's next line for inih's buffer of
 * num bytes, checked first, and handled here if it does not fit. */
static char *read_line(char *str, int num, void *stream)
{
    IniCtx *ctx = stream;
    if (ctx->failed)
        return NULL;
    if (num < INI_SECTION_MAX + 3) {    /* room for "[name]\n" */
        ini_fail(ctx, "libinih's line buffer is only %d bytes", num);
        return NULL;
    }
    errno = 0;
    ssize_t n = getline(&ctx->line, &ctx->line_cap, ctx->f);
    if (n < 0) {
        if (ferror(ctx->f) || errno == ENOMEM) {
            ctx->lineno++;
            ini_fail(ctx, "cannot read: %s", strerror(errno ? errno : EIO));
        }
        return NULL;
    }
    ctx->lineno++;
    size_t len = (size_t)n;
    if (memchr(ctx->line, '\0', len)) {
        ini_fail(ctx, "a NUL byte in the line");
        return NULL;
    }
    if (ctx->copy_cap < len + 1) {
        char *p = realloc(ctx->copy, len + 1);
        if (!p) {
            ini_fail(ctx, "out of memory");
            return NULL;
        }
        ctx->copy = p;
        ctx->copy_cap = len + 1;
    }
    memcpy(ctx->copy, ctx->line, len + 1);
    char *name = NULL, *value = NULL;
    int kind = split_line(ctx, ctx->copy, &name, &value);
    if (kind == INI_BAD)
        return NULL;
    if (len + 2 <= (size_t)num) {       /* fits, with a '\n' and the NUL */
        memcpy(str, ctx->line, len + 1);
        if (!len || str[len - 1] != '\n')
            memcpy(str + len, "\n", 2);
        return str;
    }
    if (kind == INI_PAIR && !on_ini_line(ctx, ctx->section, name, value))
        return NULL;
    if (kind == INI_SECTION)
        snprintf(str, (size_t)num, "[%s]\n", ctx->section);
    else
        memcpy(str, "\n", 2);
    return str;
}

bool sim_config_load(SimConfig *c, const char *name, char *err,
                     size_t errlen)
{
    char path[4096], q[QUOTE_LEN];
    int n;
    if (strchr(name, '/') || strstr(name, ".ini"))
        n = snprintf(path, sizeof path, "%s", name);
    else
        n = snprintf(path, sizeof path, "%s/%s.ini", sim_config_dir(), name);
    if (n < 0 || (size_t)n >= sizeof path) {
        snprintf(err, errlen, "machine %s: the path is longer than %zu "
                 "characters", quote(name, q), sizeof path - 1);
        return false;
    }
    struct stat st;
    if (stat(path, &st) == 0 && !S_ISREG(st.st_mode)) {
        snprintf(err, errlen, "machine '%s': %s is not a regular file (a "
                 "preset name or a path to an .ini file)", name, path);
        return false;
    }
    FILE *f = fopen(path, "r");
    if (!f) {
        snprintf(err, errlen, "machine '%s': cannot open %s: %s", name, path,
                 strerror(errno));
        return false;
    }
    IniCtx ctx = {.c = c, .err = err, .errlen = errlen, .path = path,
                  .f = f};
    int rc = ini_parse_stream(read_line, &ctx, on_ini_line, &ctx);
    fclose(f);
    free(ctx.line);
    free(ctx.copy);
    if (ctx.failed)
        return false;
    if (rc != 0) {      /* inih refused a line split_line took */
        snprintf(err, errlen, "%s:%d: not a 'key = value' or '[section]' "
                 "line", path, rc);
        return false;
    }
    return true;
}

void sim_config_resolve(SimConfig *c)
{
    if (!c->ranks)
        return;
    c->cores = c->ranks * c->cores_per_node;
    c->numa_nodes = c->ranks;
}

_Static_assert(sizeof keys / sizeof keys[0] <= 64 * sizeof ((SimConfig *)0)->given
               / sizeof ((SimConfig *)0)->given[0],
               "SimConfig.given has a bit per key");

bool sim_config_give(SimConfig *c, const char *key, const char *value,
                     char *err, size_t errlen)
{
    if (!sim_config_set(c, key, value, err, errlen))
        return false;
    for (size_t i = 0; i < sizeof keys / sizeof keys[0]; i++)
        if (!strcmp(keys[i].name, key))
            c->given[i / 64] |= 1ull << (i % 64);
    return true;
}

bool sim_config_snoops(const SimConfig *c)
{
    /* auto: snoop on one node of at most 8 cores, unless the topology
     * asked for is not the bus snooping needs. */
    bool bus_ok = c->noc_topology <= 1;     /* topo_names: auto, bus */
    return c->organisation == 1 ||
           (c->organisation == 0 && c->numa_nodes == 1 && c->cores <= 8 &&
            bus_ok);
}

/* Why the machine c describes would not use key (NULL: it would). */
static const char *ignored(const SimConfig *c, const char *key)
{
    static const char *const hierarchy[] = {
        "l1d.", "l2.", "llc.", "coherence.", "noc.", "numa.",
        "memory.dram_latency", "memory.bytes_per_cycle", "core.hit_filter",
        NULL};
    bool pre = false;
    for (int i = 0; hierarchy[i]; i++)
        pre |= !strncmp(key, hierarchy[i], strlen(hierarchy[i]));
    bool gpu = !strncmp(key, "gpu.", 4) && strcmp(key, "gpu.sms");
    /* The GPU's copies of unified memory cost what the machine's memory
     * does, with or without the hierarchy. */
    bool gpu_copy = c->gpu.sms && c->gpu.memory == 0 &&
                    (!strcmp(key, "memory.dram_latency") ||
                     !strcmp(key, "memory.bytes_per_cycle"));
    if (pre && c->mem_model != SIM_MEM_HIERARCHY && !gpu_copy)
        return "it is the memory hierarchy's, and memory.model = flat "
               "(every access costs memory.latency)";
    if (pre && !c->timing && !gpu_copy)
        return "run.timing = 0 (no memory timing at all)";
    if (!strncmp(key, "core.", 5) && strstr(key, "_latency") &&
        strcmp(key, "core.wake_latency") && !c->timing)
        return "run.timing = 0 (every instruction takes one cycle)";
    if (!strncmp(key, "l2.", 3) && strcmp(key, "l2.size") && !c->l2.size)
        return "the L2 is off (l2.size = 0)";
    if ((!strcmp(key, "coherence.dir_latency") ||
         !strcmp(key, "coherence.busy")) && sim_config_snoops(c))
        return "the caches snoop on a bus, with no directory (coherence."
               "organisation = directory uses it)";
    if (!strcmp(key, "coherence.nack_retry") && c->coh_busy != 1)
        return "a busy home queues requests (coherence.busy = nack uses it)";
    if (!strcmp(key, "numa.bound_node") && c->placement != 2)
        return "pages are not bound to one node (numa.placement = bound "
               "uses it)";
    if (!strcmp(key, "core.hit_filter") && c->store_buffer)
        return "each hart has a store buffer (core.store_buffer > 0), "
               "whose loads may take their bytes from it";
    if (!strcmp(key, "core.decoded_blocks") && c->threads_per_core > 1)
        return "a core runs several hardware threads, one instruction at "
               "a time each (machine.threads_per_core > 1)";
    if (!strncmp(key, "core.", 5) && c->threads_per_core == 1 &&
        (!strcmp(key + 5, "mt_policy") || !strcmp(key + 5, "switch_penalty")
         || !strcmp(key + 5, "stall_threshold")))
        return "a core runs one hardware thread (machine.threads_per_core "
               "= 1)";
    if (!strcmp(key, "run.quantum") &&
        (c->mode != SIM_MODE_PARALLEL || c->host_threads < 2))
        return "the run is in deterministic mode (--host-threads N uses "
               "it)";
    if (!strncmp(key, "mp.", 3) && strcmp(key, "mp.ranks") && !c->ranks)
        return "there are no ranks (mp.ranks = 0; --ranks N uses it)";
    if (gpu && !c->gpu.sms)
        return "there is no GPU (gpu.sms = 0)";
    if (gpu && c->gpu.memory == 0 &&
        (!strcmp(key, "gpu.link_latency") ||
         !strcmp(key, "gpu.link_bytes_per_cycle")))
        return "the GPU's memory is the machine's (gpu.memory = unified; "
               "discrete uses it)";
    if (gpu && c->gpu.memory == 0 && c->mem_model == SIM_MEM_HIERARCHY &&
        c->timing && (!strcmp(key, "gpu.mem_latency") ||
                      !strcmp(key, "gpu.mem_bytes_per_cycle")))
        return "the GPU's memory is the machine's, behind its memory "
               "hierarchy (gpu.memory = unified; memory.dram_latency and "
               "memory.bytes_per_cycle cost it)";
    return NULL;
}

bool sim_config_check(const SimConfig *c, char *err, size_t errlen)
{
    for (size_t i = 0; i < sizeof keys / sizeof keys[0]; i++) {
        if (!(c->given[i / 64] >> (i % 64) & 1))
            continue;
        const char *why = ignored(c, keys[i].name);
        if (why) {
            char val[128];
            bool number;
            (void)sim_config_key_at(c, i, val, sizeof val, &number);
            snprintf(err, errlen, "%s = %s would do nothing: %s",
                     keys[i].name, val, why);
            return false;
        }
    }
    if (c->host_fs[0] && strcmp(c->host_fs, "none") &&
        strcmp(c->host_fs, "all")) {
        struct stat st;
        if (stat(c->host_fs, &st) != 0 || !S_ISDIR(st.st_mode)) {
            snprintf(err, errlen, "run.host_fs = %s: not a directory (or "
                     "none, or all)", c->host_fs);
            return false;
        }
    }
    /* Ranks: a router per node; a mesh or torus of a given width must
     * fit them (noc.topology 0 is auto: a mesh for ranks). */
    bool grid = c->noc_topology == 0 || c->noc_topology == 4 ||
                c->noc_topology == 5;
    if (c->ranks > 1 && grid && c->noc_width && c->ranks % c->noc_width) {
        snprintf(err, errlen, "noc.width = %u does not divide the %u ranks "
                 "(one router each): set noc.width to a divisor, or 0 for "
                 "as square as fits", c->noc_width, c->ranks);
        return false;
    }
    if (c->ranks && (uint64_t)c->ranks * c->cores_per_node > SIM_MAX_HARTS) {
        snprintf(err, errlen, "mp.ranks x mp.cores_per_node = %u cores; "
                 "parsim runs at most %d", c->ranks * c->cores_per_node,
                 SIM_MAX_HARTS);
        return false;
    }
    uint64_t harts = (uint64_t)c->cores * c->threads_per_core;
    if (harts > SIM_MAX_HARTS) {
        snprintf(err, errlen, "machine.cores x machine.threads_per_core = "
                 "%" PRIu64 " harts; parsim runs at most %d", harts,
                 SIM_MAX_HARTS);
        return false;
    }
    /* A key the machine would not use is a mistake, not a no-op. */
    if (c->mem_latency_set && c->mem_model == SIM_MEM_HIERARCHY &&
        c->timing) {
        snprintf(err, errlen, "memory.latency = %u is the flat memory "
                 "model's (memory.model = flat); with the hierarchy (the "
                 "default) memory costs memory.dram_latency and the caches' "
                 "latencies (l1d.latency, llc.latency)", c->mem_latency);
        return false;
    }
    if (c->gpu.sms && (c->gpu.l1_size & (c->gpu.l1_size - 1) ||
                       c->gpu.l2_size & (c->gpu.l2_size - 1))) {
        snprintf(err, errlen, "gpu.l1_size = %u, gpu.l2_size = %u: the "
                 "GPU's cache sizes must be powers of two",
                 c->gpu.l1_size, c->gpu.l2_size);
        return false;
    }
    if (c->gpu.sms && c->gpu.sms_set && c->ranks) {
        snprintf(err, errlen, "gpu.sms = %u with mp.ranks = %u: a machine "
                 "of ranks has no GPU array", c->gpu.sms,
                 c->ranks);
        return false;
    }
    if (c->mode == SIM_MODE_PARALLEL && c->host_threads > c->cores) {
        snprintf(err, errlen, "run.host_threads = %u but the machine has only "
                 "%u cores (cores are what host threads share out)",
                 c->host_threads, c->cores);
        return false;
    }
    return true;
}
