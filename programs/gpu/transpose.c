/* transpose.c — an n x n matrix transposed three ways (NVIDIA's
 * "Optimizing Matrix Transpose in CUDA" example): naive (the writes go a
 * column at a time: one 32-byte sector per lane), through a 32x32 tile of
 * shared memory (both global sides coalesced, but the tile is read down a
 * column: a 32-way bank conflict) and through a padded [32][33] tile (no
 * conflict).  Blocks are 32 x 8 threads, each doing 4 rows of its tile.
 *     parsim run build/programs/gpu/transpose.elf 256
 */
#include <stdio.h>
#include <stdlib.h>

#include <parsim_gpu.h>

#define TILE 32
#define ROWS 8

struct args {
    const float *in;
    float *out;
    unsigned n;
};

__shared__ float tile[TILE][TILE];
__shared__ float padded[TILE][TILE + 1];

static void naive(void *p)
{
    const struct args *a = p;
    unsigned x = blockIdx.x * TILE + threadIdx.x;
    unsigned y = blockIdx.y * TILE + threadIdx.y;
    for (unsigned j = 0; j < TILE; j += ROWS)
        a->out[x * a->n + (y + j)] = a->in[(y + j) * a->n + x];
}

static void tiled(void *p)
{
    const struct args *a = p;
    unsigned x = blockIdx.x * TILE + threadIdx.x;
    unsigned y = blockIdx.y * TILE + threadIdx.y;
    for (unsigned j = 0; j < TILE; j += ROWS)
        tile[threadIdx.y + j][threadIdx.x] = a->in[(y + j) * a->n + x];
    __syncthreads();
    x = blockIdx.y * TILE + threadIdx.x;
    y = blockIdx.x * TILE + threadIdx.y;
    for (unsigned j = 0; j < TILE; j += ROWS)
        a->out[(y + j) * a->n + x] = tile[threadIdx.x][threadIdx.y + j];
}

static void padded_tile(void *p)
{
    const struct args *a = p;
    unsigned x = blockIdx.x * TILE + threadIdx.x;
    unsigned y = blockIdx.y * TILE + threadIdx.y;
    for (unsigned j = 0; j < TILE; j += ROWS)
        padded[threadIdx.y + j][threadIdx.x] = a->in[(y + j) * a->n + x];
    __syncthreads();
    x = blockIdx.y * TILE + threadIdx.x;
    y = blockIdx.x * TILE + threadIdx.y;
    for (unsigned j = 0; j < TILE; j += ROWS)
        a->out[(y + j) * a->n + x] = padded[threadIdx.x][threadIdx.y + j];
}

int main(int argc, char **argv)
{
    unsigned n = argc > 1 ? (unsigned)atoi(argv[1]) : 256;
    if (n < TILE || n % TILE) {
        fprintf(stderr, "transpose: n must be a multiple of %d\n", TILE);
        return 2;
    }
    size_t bytes = (size_t)n * n * sizeof(float);
    float *in = malloc(bytes), *out = malloc(bytes);
    float *din = gpu_malloc(bytes), *dout = gpu_malloc(bytes);
    if (!in || !out || !din || !dout)
        return 1;
    for (unsigned i = 0; i < n * n; i++)
        in[i] = (float)i;
    static const struct {
        const char *name;
        void (*k)(void *);
    } ks[] = {{"naive", naive}, {"shared tile", tiled},
              {"padded tile", padded_tile}};
    gpu_memcpy(din, in, bytes, gpuMemcpyHostToDevice);
    struct args a = {din, dout, n};
    int bad = 0;
    printf("transpose: %u x %u floats\n", n, n);
    for (unsigned k = 0; k < 3; k++) {
        for (unsigned i = 0; i < n * n; i++)
            out[i] = -1.0f;
        gpu_memcpy(dout, out, bytes, gpuMemcpyHostToDevice);
        uint64_t t0 = cycles();
        gpu_launch(ks[k].k, DIM3(n / TILE, n / TILE, 1), DIM3(TILE, ROWS, 1),
                   &a);
        gpu_wait();
        uint64_t c = cycles() - t0;
        gpu_memcpy(out, dout, bytes, gpuMemcpyDeviceToHost);
        unsigned wrong = 0;
        for (unsigned y = 0; y < n; y++)
            for (unsigned x = 0; x < n; x++)
                wrong += out[x * n + y] != in[y * n + x];
        bad += wrong != 0;
        printf("  %-12s %10llu cycles, %.2f bytes/cycle%s\n", ks[k].name,
               (unsigned long long)c, 2.0 * n * n * sizeof(float) / (double)c,
               wrong ? "  WRONG" : "");
    }
    printf("transpose: %s\n", bad ? "WRONG" : "all three agree with the CPU");
    return bad != 0;
}
