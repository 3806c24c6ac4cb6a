/* text.c — example: everyday libc on the simulated machine: parse numbers
 * with strtol/strtod, sort records with qsort, format a table with
 * snprintf, and search it with bsearch. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct city {
    char name[16];
    long population;
    double area_km2;
};

static const char *const input =
    "Lyon 522250 47.87\n"
    "Oslo 709037 454.0\n"
    "Quito 2800388 372.4\n"
    "Perth 2192229 6418\n"
    "Kyoto 1463723 827.8\n"
    "Accra 2514005 225.67\n"
    "Bergen 289330 445\n";

static int by_density(const void *a, const void *b)
{
    const struct city *x = a, *y = b;
    double dx = x->population / x->area_km2, dy = y->population / y->area_km2;
    return (dx < dy) - (dx > dy); /* densest first */
}

static int by_name(const void *a, const void *b)
{
    return strcmp(((const struct city *)a)->name,
                  ((const struct city *)b)->name);
}

int main(void)
{
    struct city cities[16];
    int n = 0;
    const char *p = input;
    while (*p && n < 16) {
        size_t len = strcspn(p, " ");
        if (len >= sizeof cities[n].name)
            len = sizeof cities[n].name - 1;
        memcpy(cities[n].name, p, len);
        cities[n].name[len] = '\0';
        char *end;
        cities[n].population = strtol(p + len, &end, 10);
        cities[n].area_km2 = strtod(end, &end);
        p = end + strspn(end, "\n");
        n++;
    }
    qsort(cities, (size_t)n, sizeof cities[0], by_density);
    printf("%-8s %10s %9s %10s\n", "city", "people", "km2", "per km2");
    for (int i = 0; i < n; i++) {
        char density[32];
        snprintf(density, sizeof density, "%.1f",
                 cities[i].population / cities[i].area_km2);
        printf("%-8s %10ld %9.2f %10s\n", cities[i].name,
               cities[i].population, cities[i].area_km2, density);
    }
    qsort(cities, (size_t)n, sizeof cities[0], by_name);
    static const char *const wanted[] = {"Oslo", "Paris", "Accra"};
    for (unsigned i = 0; i < sizeof wanted / sizeof wanted[0]; i++) {
        struct city key;
        snprintf(key.name, sizeof key.name, "%s", wanted[i]);
        const struct city *c =
            bsearch(&key, cities, (size_t)n, sizeof cities[0], by_name);
        if (c)
            printf("found %s: %ld people\n", c->name, c->population);
        else
            printf("no %s in the table\n", wanted[i]);
    }
    return 0;
}
