/* switch_table.c — differential test: dense switches that -O2 compiles to
 * jump tables (indirect jumps through rodata), a bytecode interpreter on
 * top, and calls through function-pointer tables. */
#include <stdint.h>
#include <stdio.h>

static unsigned classify(unsigned c)
{
    switch (c) {
    case 0: return 11;
    case 1: return 7;
    case 2: return 300;
    case 3: return 5;
    case 4: return 91;
    case 5: return 2;
    case 6: return 1000;
    case 7: return 13;
    case 8: return 4;
    case 9: return 77;
    case 10: return 8;
    case 11: return 123;
    case 12: return 9;
    case 13: return 31;
    case 14: return 64;
    case 15: return 17;
    default: return c * 3;
    }
}

enum { OP_PUSH, OP_ADD, OP_SUB, OP_MUL, OP_DUP, OP_SWAP, OP_JNZ, OP_DEC,
       OP_PRINT, OP_XOR, OP_SHL, OP_DROP, OP_HALT };

/* A tiny stack machine: the dispatch switch is the jump table. */
static int32_t run(const int32_t *code)
{
    int32_t stack[64];
    int sp = 0, pc = 0;
    long steps = 0;
    for (;;) {
        steps++;
        switch (code[pc++]) {
        case OP_PUSH: stack[sp++] = code[pc++]; break;
        case OP_ADD: sp--; stack[sp - 1] += stack[sp]; break;
        case OP_SUB: sp--; stack[sp - 1] -= stack[sp]; break;
        case OP_MUL: sp--; stack[sp - 1] *= stack[sp]; break;
        case OP_DUP: stack[sp] = stack[sp - 1]; sp++; break;
        case OP_SWAP: {
            int32_t t = stack[sp - 1];
            stack[sp - 1] = stack[sp - 2];
            stack[sp - 2] = t;
            break;
        }
        case OP_JNZ: {
            int32_t target = code[pc++];
            if (stack[sp - 1] != 0)
                pc = target;
            break;
        }
        case OP_DEC: stack[sp - 1]--; break;
        case OP_PRINT: printf("vm: %ld\n", (long)stack[sp - 1]); break;
        case OP_XOR: sp--; stack[sp - 1] ^= stack[sp]; break;
        case OP_SHL: sp--; stack[sp - 1] <<= stack[sp] & 31; break;
        case OP_DROP: sp--; break;
        case OP_HALT:
            printf("vm: halt after %ld steps\n", steps);
            return stack[sp - 1];
        default:
            printf("vm: bad opcode\n");
            return -1;
        }
    }
}

static int f_add(int a, int b) { return a + b; }
static int f_sub(int a, int b) { return a - b; }
static int f_mul(int a, int b) { return a * b; }
static int f_and(int a, int b) { return a & b; }
static int f_or(int a, int b) { return a | b; }

int main(void)
{
    unsigned h = 0;
    for (unsigned i = 0; i < 5000; i++)
        h = h * 31 + classify((i * 7919u) % 19);
    printf("classify hash %08x\n", h);
    /* acc = 1; n = 20; do { acc = acc*3 ^ n; n--; } while (n); */
    static const int32_t prog[] = {
        OP_PUSH, 1, OP_PUSH, 20,
        /* 4: */ OP_SWAP, OP_PUSH, 3, OP_MUL, OP_SWAP, OP_DUP, OP_PUSH, 0,
        OP_ADD, OP_SWAP, OP_DROP, OP_SWAP, OP_PUSH, 0, OP_ADD, OP_SWAP,
        OP_DUP, OP_PUSH, 1, OP_SHL, OP_DROP, OP_DEC, OP_JNZ, 4,
        OP_DROP, OP_PRINT, OP_PUSH, 0x5a5a, OP_XOR, OP_PRINT, OP_HALT,
    };
    int32_t r = run(prog);
    static int (*const ops[])(int, int) = {f_add, f_sub, f_mul, f_and, f_or};
    int acc = 17;
    for (int i = 0; i < 100; i++)
        acc = ops[(unsigned)(i * i + acc) % 5](acc, i + 3) & 0xffffff;
    printf("fnptr acc %d\n", acc);
    return (int)(r & 0x3f);
}
