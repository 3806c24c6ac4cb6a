/* strings.c — differential test: <string.h> and <ctype.h> (memcpy/memmove
 * with overlap and odd alignments, memset, memcmp, strstr, strtok, strchr,
 * strrchr, strspn, strdup, strtol/strtoul/strtod, toupper). */
#include <ctype.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static uint32_t hash(const void *p, size_t n)
{
    const unsigned char *b = p;
    uint32_t h = 2166136261u;
    while (n--)
        h = (h ^ *b++) * 16777619u;
    return h;
}

int main(void)
{
    /* Every source/destination misalignment and length up to 40 bytes:
     * the word-at-a-time paths of memcpy/memmove see all their tails. */
    static unsigned char src[128], dst[128];
    for (int i = 0; i < 128; i++)
        src[i] = (unsigned char)(i * 37 + 11);
    uint32_t h = 0;
    for (int so = 0; so < 8; so++)
        for (int doff = 0; doff < 8; doff++)
            for (int n = 0; n <= 40; n += 3) {
                memset(dst, 0xee, sizeof dst);
                memcpy(dst + doff, src + so, (size_t)n);
                h ^= hash(dst, sizeof dst) + (uint32_t)(so * 64 + doff * 8 + n);
            }
    printf("memcpy grid %08x\n", (unsigned)h);
    unsigned char ov[64];
    for (int i = 0; i < 64; i++)
        ov[i] = (unsigned char)i;
    memmove(ov + 3, ov, 40);
    memmove(ov + 20, ov + 27, 30);
    printf("memmove %08x %d %d %d\n", (unsigned)hash(ov, 64), ov[3], ov[20],
           ov[49]);
    printf("memcmp %d %d %d\n", memcmp("abcd", "abce", 4) < 0,
           memcmp("abcd", "abcd", 4), memcmp("\xff", "\x01", 1) > 0);
    printf("memchr %d\n", (int)((const char *)memchr("hello world", 'w', 11) -
                                "hello world"));

    const char *hay = "the quick brown fox jumps over the lazy dog";
    printf("strlen %u strstr [%s] [%s] strchr [%s] strrchr [%s]\n",
           (unsigned)strlen(hay), strstr(hay, "fox"), strstr(hay, "the l"),
           strchr(hay, 'j'), strrchr(hay, 'o'));
    printf("strstr-miss %d strspn %u strcspn %u strpbrk [%s]\n",
           strstr(hay, "cat") == NULL, (unsigned)strspn(hay, "the "),
           (unsigned)strcspn(hay, "xyz"), strpbrk(hay, "xyz"));
    char line[] = "alpha, beta;;gamma , delta,,epsilon";
    int k = 0;
    for (char *t = strtok(line, ",; "); t; t = strtok(NULL, ",; "))
        printf("tok%d [%s]\n", k++, t);
    char *dup = strdup(hay);
    for (char *p = dup; *p; p++)
        *p = (char)toupper((unsigned char)*p);
    printf("upper [%s] cmp %d %d\n", dup, strcmp(dup, hay) < 0,
           strncmp(dup, "THE QUICK", 9));
    free(dup);
    char cat[64] = "con";
    strcat(cat, "cat");
    static const char tail[] = "enate-and-more";
    /* Truncating on purpose: strncat stops at the count, not at the NUL. */
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wstringop-truncation"
    strncat(cat, tail, 5);
#pragma GCC diagnostic pop
    char cp[8];
    strncpy(cp, "truncate-me", sizeof cp - 1);
    cp[sizeof cp - 1] = '\0';
    printf("strcat [%s] strncpy [%s]\n", cat, cp);

    static const char *const nums[] = {"42", "-17", "0x1F", "0777", "  +99z",
                                       "2147483648", "-2147483649", "abc",
                                       "1e3", "-0.125", "3.14159abc",
                                       "0x1p-2", "inf", "1e400"};
    for (unsigned i = 0; i < sizeof nums / sizeof nums[0]; i++) {
        char *end;
        long l = strtol(nums[i], &end, 0);
        int used = (int)(end - nums[i]);
        unsigned long ul = strtoul(nums[i], NULL, 10);
        double d = strtod(nums[i], &end);
        printf("num [%s]: strtol %ld (%d used) strtoul %lu strtod %.17g "
               "(%d used) atoi %d\n", nums[i], l, used, ul, d,
               (int)(end - nums[i]), atoi(nums[i]));
    }
    int counts[4] = {0};
    for (int c = 0; c < 128; c++) {
        counts[0] += isalpha(c) != 0;
        counts[1] += isdigit(c) != 0;
        counts[2] += isspace(c) != 0;
        counts[3] += ispunct(c) != 0;
    }
    printf("ctype %d %d %d %d\n", counts[0], counts[1], counts[2], counts[3]);
    return 0;
}
