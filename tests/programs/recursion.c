/* recursion.c — differential test: deep and branchy recursion (Ackermann,
 * naive Fibonacci, Towers of Hanoi, mutual recursion, a recursive parser). */
#include <stdio.h>

static unsigned ack(unsigned m, unsigned n)
{
    if (m == 0)
        return n + 1;
    if (n == 0)
        return ack(m - 1, 1);
    return ack(m - 1, ack(m, n - 1));
}

static unsigned fib(unsigned n)
{
    return n < 2 ? n : fib(n - 1) + fib(n - 2);
}

static unsigned long moves;
static unsigned checksum;

static void hanoi(int n, int from, int to, int via)
{
    if (n == 0)
        return;
    hanoi(n - 1, from, via, to);
    moves++;
    checksum = checksum * 3 + (unsigned)(from * 4 + to);
    hanoi(n - 1, via, to, from);
}

static int is_odd(unsigned n);
static int is_even(unsigned n)
{
    return n == 0 ? 1 : is_odd(n - 1);
}
static int is_odd(unsigned n)
{
    return n == 0 ? 0 : is_even(n - 1);
}

/* expr := term (('+'|'-') term)*; term := factor (('*'|'/') factor)*;
 * factor := number | '(' expr ')' | '-' factor */
static const char *src;
static long expr(void);
static long factor(void)
{
    if (*src == '(') {
        src++;
        long v = expr();
        src++; /* ')' */
        return v;
    }
    if (*src == '-') {
        src++;
        return -factor();
    }
    long v = 0;
    while (*src >= '0' && *src <= '9')
        v = v * 10 + (*src++ - '0');
    return v;
}
static long term(void)
{
    long v = factor();
    while (*src == '*' || *src == '/') {
        char op = *src++;
        long r = factor();
        v = op == '*' ? v * r : (r ? v / r : 0);
    }
    return v;
}
static long expr(void)
{
    long v = term();
    while (*src == '+' || *src == '-') {
        char op = *src++;
        long r = term();
        v = op == '+' ? v + r : v - r;
    }
    return v;
}

int main(void)
{
    for (unsigned m = 0; m <= 3; m++)
        for (unsigned n = 0; n <= 5; n++)
            printf("ack(%u,%u) = %u\n", m, n, ack(m, n));
    printf("fib(24) = %u\n", fib(24));
    hanoi(16, 1, 3, 2);
    printf("hanoi(16): %lu moves, checksum %08x\n", moves, checksum);
    printf("even(5001) = %d, odd(7777) = %d\n", is_even(5001), is_odd(7777));
    static const char *const exprs[] = {
        "1+2*3", "(1+2)*3", "-(4-10)*(2+3)/3", "((((((7))))))*-6",
        "100/7-100/7*7+2*(3*(4*(5+6)))",
    };
    for (unsigned i = 0; i < sizeof exprs / sizeof exprs[0]; i++) {
        src = exprs[i];
        printf("%s = %ld\n", exprs[i], expr());
    }
    return 0;
}
