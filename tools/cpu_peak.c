/* Peak arithmetic rate of this CPU's vector units, measured: each thread runs 12 independent
 * chains of one vector instruction (enough to hide its latency), and the rate is counted from
 * wall time. Build and run with tools/cpu_peak.sh (x86-64; built with -march=native, so each
 * rate uses the widest form this CPU has, and a kind it lacks exits with status 3):
 *   fp32: vfmadd231ps zmm (16 lanes x 2 ops) with AVX-512, else ymm (8 lanes x 2) with FMA
 *   fp16: vfmadd231ph zmm  (32 lanes x 2 ops, AVX512-FP16)
 *   int8: vpdpbusd zmm     (64 u8*s8 products + adds = 128 ops, AVX512-VNNI)
 * Also times a chain of dependent 64-bit imul (3 cycles each on Intel and AMD cores since
 * Sandy Bridge / Zen) to estimate the scalar clock. */
#include <immintrin.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define ITERS 20000000L
#define CHAINS 12

/* Each kernel runs its chains and returns the operations (or, for the clock, cycles) it did;
 * it adds its results to *sink so the compiler keeps the work. */
typedef double (*kernel_fn)(int id, double *sink);

static double fp32_kernel(int id, double *sink) {
    (void)id;
#if defined(__AVX512F__)
    __m512 a[CHAINS]; __m512 m = _mm512_set1_ps(0.9999999f), c = _mm512_set1_ps(1e-7f);
    for (int k = 0; k < CHAINS; k++) a[k] = _mm512_set1_ps(1.0f + k);
    for (long i = 0; i < ITERS; i++) for (int k = 0; k < CHAINS; k++) a[k] = _mm512_fmadd_ps(a[k], m, c);
    for (int k = 0; k < CHAINS; k++) *sink += _mm512_reduce_add_ps(a[k]);
    return (double)CHAINS * ITERS * 32;
#else
    __m256 a[CHAINS]; __m256 m = _mm256_set1_ps(0.9999999f), c = _mm256_set1_ps(1e-7f);
    for (int k = 0; k < CHAINS; k++) a[k] = _mm256_set1_ps(1.0f + k);
    for (long i = 0; i < ITERS; i++) for (int k = 0; k < CHAINS; k++) a[k] = _mm256_fmadd_ps(a[k], m, c);
    float lanes[8];
    for (int k = 0; k < CHAINS; k++) { _mm256_storeu_ps(lanes, a[k]); for (int j = 0; j < 8; j++) *sink += lanes[j]; }
    return (double)CHAINS * ITERS * 16;
#endif
}

#if defined(__AVX512FP16__)
static double fp16_kernel(int id, double *sink) {
    (void)id;
    __m512h a[CHAINS]; __m512h m = _mm512_set1_ph((_Float16)0.999f), c = _mm512_set1_ph((_Float16)1e-4f);
    for (int k = 0; k < CHAINS; k++) a[k] = _mm512_set1_ph((_Float16)(1.0f + k));
    for (long i = 0; i < ITERS; i++) for (int k = 0; k < CHAINS; k++) a[k] = _mm512_fmadd_ph(a[k], m, c);
    for (int k = 0; k < CHAINS; k++) *sink += (double)_mm512_reduce_add_ph(a[k]);
    return (double)CHAINS * ITERS * 64;
}
#endif

#if defined(__AVX512VNNI__) && defined(__AVX512BW__)
static double int8_kernel(int id, double *sink) {
    (void)id;
    __m512i a[CHAINS]; __m512i u = _mm512_set1_epi8(3), s = _mm512_set1_epi8(-2);
    for (int k = 0; k < CHAINS; k++) a[k] = _mm512_set1_epi32(k);
    for (long i = 0; i < ITERS; i++) for (int k = 0; k < CHAINS; k++) a[k] = _mm512_dpbusd_epi32(a[k], u, s);
    for (int k = 0; k < CHAINS; k++) *sink += _mm512_reduce_add_epi32(a[k]);
    return (double)CHAINS * ITERS * 128;
}
#endif

static double clock_kernel(int id, double *sink) {   /* dependent imul, 3 cycles each */
    unsigned long x = 3 + id;
    for (long i = 0; i < 10 * ITERS; i++) __asm__ volatile("imul %0, %0\n\timul %0, %0\n\timul %0, %0\n\timul %0, %0" : "+r"(x));
    *sink += (double)(x & 1);
    return 10.0 * ITERS * 4 * 3;
}

/* The kinds this build can measure: one entry each, so a kind the CPU lacks is simply absent. */
static const struct { const char *name; kernel_fn run; } KINDS[] = {
    {"clock", clock_kernel},
    {"fp32", fp32_kernel},
#if defined(__AVX512FP16__)
    {"fp16", fp16_kernel},
#endif
#if defined(__AVX512VNNI__) && defined(__AVX512BW__)
    {"int8", int8_kernel},
#endif
};

static kernel_fn kernel;
static double rates[64];

static double now(void) { struct timespec t; clock_gettime(CLOCK_MONOTONIC, &t); return t.tv_sec + t.tv_nsec * 1e-9; }

static void *worker(void *arg) {
    int id = *(int *)arg; double sink = 0, start = now();
    double ops = kernel(id, &sink);
    rates[id] = ops / (now() - start) / 1e9;
    if (sink == 123456.0) puts("");
    return NULL;
}

int main(int argc, char **argv) {
    if (argc != 3) { fprintf(stderr, "usage: cpu_peak fp32|fp16|int8|clock THREADS\n"); return 2; }
    const char *kind = argv[1]; int threads = atoi(argv[2]);
    for (size_t i = 0; i < sizeof KINDS / sizeof KINDS[0]; i++)
        if (!strcmp(kind, KINDS[i].name)) kernel = KINDS[i].run;
    if (!kernel) { fprintf(stderr, "%s: not available on this CPU\n", kind); return 3; }
    if (threads < 1 || threads > 64) { fprintf(stderr, "threads must be 1-64\n"); return 2; }
    pthread_t th[64]; int ids[64]; double total = 0;
    for (int t = 0; t < threads; t++) { ids[t] = t; pthread_create(&th[t], NULL, worker, &ids[t]); }
    for (int t = 0; t < threads; t++) { pthread_join(th[t], NULL); total += rates[t]; }
    printf("%s threads=%d %s=%.1f\n", kind, threads, strcmp(kind, "clock") ? "GOPS" : "GHz_per_thread_sum", total);
    return 0;
}
