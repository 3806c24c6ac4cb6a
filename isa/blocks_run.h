/* blocks_run.h — the block engine's loop, expanded three times by
 * blocks.c: ENGINE_TIMED 1 calls the access hook before every access, 0
 * is for an environment without one (--no-timing), whose loads and
 * stores then carry nothing of the timing seam: no call, no latency, no
 * limit moved into a block.  ENGINE_LOCKED 1 (timed only) is for a hit
 * filter under a lock that other host threads may ask for (parallel
 * mode): it looks whether one does at each block's start, so a waiting
 * thread gets in within a block; with one host thread nobody can ask,
 * and the engine never looks.  ENGINE_NAME is the function's name.  Each
 * has its own handlers, so blocks are translated for one of them
 * (IsaBlocks.engine).
 *
 * May depend on: isa/isa_priv.h (blocks.c's Blk, Op, KINDS, translate
 * before it).
 */

static IsaBlocksExit ENGINE_NAME(IsaHart *h, const IsaEnv *env,
                                 IsaBlocks *bc, uint64_t cycle_limit,
                                 uint64_t insn_limit)
{
#if defined(__GNUC__)
    static const void *const labels[K_COUNT] = {
#define KIND(k) &&L_##k,
        KINDS
#undef KIND
    };
#else
    static const void *const *const labels = NULL;
#endif

#if ENGINE_TIMED
    const IsaAccessFn access = env->access;
    void *const actx = env->access_ctx;
    /* The hook's hit filter: its hits done here, without the call, its
     * state in locals (hr) while no hook runs. */
    IsaHitRun hr = {.f = NULL};
    isa_hit_run_init(&hr, env->hit_filter ? h->hits : NULL);
#endif
    IsaDecodeCache *dc = h->dc;
    IsaMem *mem = env->mem;
    uint8_t *const ram = mem->ram;
    const uint32_t base = mem->base;
    /* the largest RAM offset of an access of 1, 2, 4 bytes (size >= 8) */
    const uint32_t last1 = mem->size - 1, last2 = mem->size - 2,
                   last4 = mem->size - 4;
    const uint8_t *const code_map = mem->code_map;
    const uint32_t stack_lo = h->stack_lo, stack_guard = h->stack_guard;
    uint32_t *const x = h->x;
    uint64_t *const cc = h->class_count;

    /* The clock and the count as what is left before the limits:
     * cycle = cend - cb, instret = iend - ib.  Between blocks they are
     * the hart's; inside one, its start's (plus the access latencies so
     * far): an operation's cycle is cend - cb + op->pre, its count
     * iend - ib + op->idx.  An instruction whose static start is
     * below cb and whose count is below ib starts below both limits. */
    uint32_t pc = h->pc;
    int64_t cb = budget(h->cycle, cycle_limit);
    int64_t ib = budget(h->instret, insn_limit);
    const uint64_t cend = h->cycle + (uint64_t)cb;
    const uint64_t iend = h->instret + (uint64_t)ib;
#if ENGINE_TIMED
    isa_hit_run_open(&hr, cend);
#endif
    Blk *cur, *nb, *ex, **link = NULL;
    bool full;              /* cur's last instruction starts below the limits */
#if ENGINE_TIMED
    uint32_t slast;         /* the stretch's: as Blk.last */
#endif
    const Op *op;
    IsaBlocksExit ret;
    uint32_t off;
    uint8_t *p;

lookup:
    nb = bc->tab[(pc >> 1) & BT_MASK];
    if (__builtin_expect(!nb || nb->pc != pc, 0)) {
        /* At a limit already: isa_run stops here, nothing decoded. */
        if (cb <= 0 || ib <= 0) {
            ret = ISA_BLOCKS_REST;
            goto out;
        }
        uint32_t epoch = bc->epoch;
        nb = translate(bc, dc, mem, pc, labels, cc);
        if (bc->epoch != epoch)
            link = NULL;        /* the block that would point here is gone */
    }
    if (link)
        *link = nb;
enter:
    /* The whole block below the limits: its side exits need not look;
     * else its first stretch, and each side exit looks at the next. */
    full = (int64_t)nb->tlast < cb && (int64_t)nb->n <= ib;
    if (__builtin_expect(!full, 0) &&
        ((int64_t)nb->last >= cb || (int64_t)nb->n1 > ib)) {
        pc = nb->pc;
        ret = ISA_BLOCKS_REST;
        goto out;
    }
    cur = nb;
    op = cur->ops;
#if ENGINE_TIMED
    slast = full ? cur->tlast : cur->last;
#endif
#if ENGINE_LOCKED
    isa_hit_run_poll(&hr);
#endif
    DISPATCH();

    /* A block's end (b: the block or a side exit's account): its
     * cycles, count and a run of its classes. */
#define CLOSE(b) do {                                               \
        cb -= (b)->cost;                                            \
        ib -= (b)->n;                                               \
        if (__builtin_expect(++(b)->runs == 0, 0)) {                \
            if (__builtin_expect(bc->ndirty == MAX_DIRTY, 0))       \
                count_runs(bc, cc);                                 \
            bc->dirty[bc->ndirty++] = (b);                          \
        }                                                           \
    } while (0)

#if !defined(__GNUC__)
dispatch:
    switch ((Kind)op->kind) {
#endif

    /* ---- Arithmetic ---- */
#define PAIR(rr, ri, e)                                             \
    CASE(rr)                                                        \
        x[op->rd] = sem_##rr(x[op->rs1], x[op->rs2]);               \
        NEXT();                                                     \
    CASE(ri)                                                        \
        x[op->rd] = sem_##rr(x[op->rs1], (uint32_t)op->imm);        \
        NEXT();                                                     \
    CASE(rr##_s)                                                    \
        x[op->rd] = sem_##rr(x[op->rd], x[op->rs2]);                \
        NEXT();                                                     \
    CASE(ri##_s)                                                    \
        x[op->rd] = sem_##rr(x[op->rd], (uint32_t)op->imm);         \
        NEXT();
#define ONE(name, e)                                                \
    CASE(name)                                                      \
        x[op->rd] = sem_##name(x[op->rs1], x[op->rs2]);             \
        NEXT();
    ISA_SEM_RR_RI(PAIR)
    ISA_SEM_RR(ONE)
#undef PAIR
#undef ONE
    CASE(nop)               /* writes x0 */
        NEXT();
    CASE(li)
        x[op->rd] = (uint32_t)op->imm;
        NEXT();
    CASE(mv)
        x[op->rd] = x[op->rs1];
        NEXT();

    /* ---- Memory: as isa_run's MEM_AT, ACCESS, GUARD, KILLS, STORED ---- */
    /* p for the n bytes at x[rs1] + imm, in RAM (one compare: a memory
     * operation's imm is less the RAM's base, so the sum is the offset in
     * RAM); anything else (a window, a fault) is isa_run's.  The guest
     * address is off + base. */
#define LOCATE(n)                                                   \
        off = x[op->rs1] + (uint32_t)op->imm;                       \
        if (__builtin_expect(off > last##n, 0))                     \
            goto before;                                            \
        p = ram + off
#define GUARD()                                                     \
        if (__builtin_expect(x[2] - stack_lo < stack_guard, 0))     \
            goto before
#define KILLS(n)                                                    \
        if (__builtin_expect(__atomic_load_n(&mem->resv_live,       \
                                             __ATOMIC_RELAXED)      \
                             != 0, 0))                              \
            isa_resv_write(mem, off + base, n)
    /* A store into code: the rest of this block may be stale. */
#define STORED(n)                                                   \
        if (code_written(code_map, off, n)) {                       \
            isa_code_modified(mem, dc, off, n);                     \
            goto after;                                             \
        }
#if ENGINE_TIMED
#define ACCESS(a, n, k) do {                                        \
            if ((k == ISA_ACC_LOAD || k == ISA_ACC_STORE) &&        \
                isa_hit_run_take(&hr, a, n, k == ISA_ACC_STORE,     \
                                 cb - (int64_t)op->pre)) {          \
                cb -= hr.latency;                                   \
                break;                                              \
            }                                                       \
            h->pc = op->pc;                                         \
            h->cycle = cend - (uint64_t)cb + op->pre;               \
            h->instret = iend - (uint64_t)ib + op->idx;             \
            isa_hit_run_close(&hr, cend);                           \
            uint32_t lat_ = access(actx, h, a, n, k);               \
            isa_hit_run_open(&hr, cend);                            \
            if (__builtin_expect(lat_ == ISA_ACCESS_DEFER, 0)) {    \
                ret = ISA_BLOCKS_DEFER;                             \
                goto before_ret;                                    \
            }                                                       \
            cb -= lat_;                                             \
        } while (0)
    /* Latencies may have moved the cycle limit into the stretch (or the
     * block, when full: isa_run then finishes it). */
#define LATE() ((int64_t)slast >= cb)
#define SIDE_ON() (slast = full ? slast : op->pre)
#else
#define ACCESS(a, n, k) (void)0
#define LATE() false
#define SIDE_ON() (void)0
#endif
#define DONE()                                                      \
        if (__builtin_expect(LATE(), 0))                            \
            goto after;                                             \
        NEXT()
#define LOAD(name, n, get)                                          \
    CASE(name)                                                      \
        LOCATE(n);                                                  \
        ACCESS(off + base, n, ISA_ACC_LOAD);                        \
        x[op->rd] = get(p);                                         \
        DONE();
#define STORE(name, n, put)                                         \
    CASE(name)                                                      \
        GUARD();                                                    \
        LOCATE(n);                                                  \
        ACCESS(off + base, n, ISA_ACC_STORE);                       \
        put(p, x[op->rs2]);                                         \
        KILLS(n);                                                   \
        STORED(n);                                                  \
        DONE();
    ISA_SEM_LOAD(LOAD)
    ISA_SEM_STORE(STORE)
#undef LOAD
#undef STORE
    CASE(flw)
        LOCATE(4);
        ACCESS(off + base, 4, ISA_ACC_LOAD);
        h->f[op->rd] = ld32(p);
        DONE();
    CASE(fsw)
        GUARD();
        LOCATE(4);
        ACCESS(off + base, 4, ISA_ACC_STORE);
        st32(p, h->f[op->rs2]);
        KILLS(4);
        STORED(4);
        DONE();
    /* Atomics may have rd = x0; a misaligned one traps in isa_run. */
#define ATOMIC_AT()                                                 \
        if (x[op->rs1] & 3)                                         \
            goto before;                                            \
        LOCATE(4)
    CASE(amo)
        ATOMIC_AT();
        ACCESS(off + base, 4, ISA_ACC_AMO);
        x[op->rd] = amo(op->op, (uint32_t *)(void *)p, x[op->rs2]);
        x[0] = 0;
        KILLS(4);
        STORED(4);
        DONE();
    CASE(lr)
        ATOMIC_AT();
        ACCESS(off + base, 4, ISA_ACC_LR);
        x[op->rd] = isa_resv_lr(mem, h, off + base, p);
        x[0] = 0;
        DONE();
    CASE(sc) {
        ATOMIC_AT();
        ACCESS(off + base, 4, ISA_ACC_SC);
        bool ok = isa_resv_sc(mem, h, off + base, p, x[op->rs2]);
        x[op->rd] = ok ? 0 : 1;
        x[0] = 0;
        if (ok) {
            STORED(4);
        }
        DONE();
    }
    CASE(fence)
        ACCESS(0, 0, ISA_ACC_FENCE);
        DONE();
#undef LOCATE
#undef ATOMIC_AT
#undef ACCESS
#undef GUARD
#undef KILLS
#undef STORED
#undef DONE

    /* ---- F (the FPU writes x[rd] only when rd is not x0) ---- */
    CASE(fp) {
        const IsaInsn in = {
            .op = op->op, .rd = op->rd, .rs1 = op->rs1, .rs2 = op->rs2,
            .rs3 = op->rs3, .rm = op->rm, .len = op->len, .cls = op->cls,
            .imm = op->imm};
        if (__builtin_expect(!isa_fp_exec(h, &in), 0))
            goto before;
        NEXT();
    }

    /* ---- The ends of blocks ---- */
#define BRANCH(name, cond)                                          \
    CASE(name)                                                      \
        if (sem_##name(x[op->rs1], x[op->rs2]))                     \
            goto taken;                                             \
        goto fall;
    ISA_SEM_BRANCH(BRANCH)
#undef BRANCH
    /* On through the branch if the stretch after it starts below the
     * limits as a block's first does (known when the whole block is). */
#define SIDE(name, cond)                                            \
    CASE(name##_x)                                                  \
        if (sem_##name(x[op->rs1], x[op->rs2]))                     \
            goto side_exit;                                         \
        if (__builtin_expect(!full, 0) &&                           \
            ((int64_t)op->pre >= cb || (int64_t)op->idx > ib))      \
            goto side_rest;                                         \
        SIDE_ON();                                                  \
        NEXT();
    ISA_SEM_BRANCH(SIDE)
#undef SIDE
    CASE(j)
        goto taken;
    CASE(jal)
        x[op->rd] = op->pc + op->len;
        goto taken;
    CASE(jr)
        pc = (x[op->rs1] + (uint32_t)op->imm) & ~1u;
        goto jumped;
    CASE(jalr)              /* target first: rd may equal rs1 */
        pc = (x[op->rs1] + (uint32_t)op->imm) & ~1u;
        x[op->rd] = op->pc + op->len;
        goto jumped;
    CASE(fall)
        goto fall;
    CASE(slow)
        CLOSE(cur);
        pc = cur->end;
        ret = ISA_BLOCKS_ONE;
        goto out;
#if !defined(__GNUC__)
    default:
        abort();
    }
#endif

    /* pc is set only where a look-up needs it: enter takes it from the
     * block. */
taken:
    CLOSE(cur);
    nb = cur->next[0];
    if (__builtin_expect(nb->live, 1))
        goto enter;
    pc = op->pc + (uint32_t)op->imm;
    link = &cur->next[0];
    goto lookup;
fall:
    CLOSE(cur);
    nb = cur->next[1];
    if (__builtin_expect(nb->live, 1))
        goto enter;
    pc = cur->end;
    link = &cur->next[1];
    goto lookup;
jumped:
    CLOSE(cur);
    nb = cur->next[0];
    if (nb->live && nb->pc == pc)
        goto enter;
    link = &cur->next[0];
    goto lookup;
side_exit:
    ex = &cur->side[op->op];
    CLOSE(ex);
    nb = ex->next[0];
    if (__builtin_expect(nb->live, 1))
        goto enter;
    pc = (uint32_t)op->imm;
    link = &ex->next[0];
    goto lookup;
side_rest:                  /* a limit in the stretch after op */
    ex = &cur->side[op->op];
    CLOSE(ex);
    pc = op[1].pc;
    ret = ISA_BLOCKS_REST;
    goto out;

#undef CLOSE

    /* Leaving a block in the middle: the hart at op's start, or after
     * it. */
before:
    ret = ISA_BLOCKS_ONE;
#if ENGINE_TIMED
before_ret:
#endif
    pc = op->pc;
    cb -= op->pre;
    ib -= op->idx;
    count_part(cc, cur, op->idx);
    goto out;
after:
    ret = LATE() ? ISA_BLOCKS_REST : ISA_BLOCKS_ONE;
    pc = op->pc + op->len;
    cb -= op->pre + bc->cost[op->cls];
    ib -= op->idx + 1;
    count_part(cc, cur, op->idx + 1u);
out:
#if ENGINE_TIMED
    isa_hit_run_close(&hr, cend);
#endif
    count_runs(bc, cc);
    h->pc = pc;
    h->cycle = cend - (uint64_t)cb;
    h->instret = iend - (uint64_t)ib;
    return ret;
}

#undef ACCESS
#undef LATE
#undef SIDE_ON
