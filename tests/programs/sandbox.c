/* sandbox.c — the host-file sandbox from the program's side: each
 * command-line word is an operation on a host file, and the program
 * prints whether it worked.  Words:
 *   r:PATH   open PATH for reading and print its first line
 *   w:PATH   create PATH and write "written\n"
 *   d:PATH   remove PATH
 *   m:A=B    rename A to B
 * Each prints "OP PATH: ok ..." or "OP PATH: refused" (errno EACCES) or
 * "OP PATH: failed". */
#include <errno.h>
#include <stdio.h>
#include <string.h>

/* picolibc has no rename(); its semihosting library has the call. */
extern int sys_semihost_rename(const char *old, const char *new_name);
extern int sys_semihost_errno(void);

static void report(const char *op, const char *path, int ok)
{
    if (ok)
        printf("%s %s: ok\n", op, path);
    else
        printf("%s %s: %s\n", op, path, errno == EACCES ? "refused"
                                                        : "failed");
}

int main(int argc, char **argv)
{
    for (int i = 1; i < argc; i++) {
        char *w = argv[i];
        if (strlen(w) < 3 || w[1] != ':')
            continue;
        char *path = w + 2;
        errno = 0;
        switch (w[0]) {
        case 'r': {
            FILE *f = fopen(path, "r");
            char line[64] = "";
            if (f && !fgets(line, sizeof line, f))
                line[0] = 0;
            if (f) {
                fclose(f);
                line[strcspn(line, "\n")] = 0;
                printf("read %s: ok \"%s\"\n", path, line);
            } else {
                report("read", path, 0);
            }
            break;
        }
        case 'w': {
            FILE *f = fopen(path, "w");
            if (f) {
                fputs("written\n", f);
                fclose(f);
            }
            report("write", path, f != NULL);
            break;
        }
        case 'd':
            report("remove", path, remove(path) == 0);
            break;
        case 'm': {
            char *eq = strchr(path, '=');
            if (!eq)
                break;
            *eq = 0;
            int ok = sys_semihost_rename(path, eq + 1) == 0;
            if (!ok)
                errno = sys_semihost_errno();
            report("rename", path, ok);
            break;
        }
        }
    }
    return 0;
}
