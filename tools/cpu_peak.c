/* Peak arithmetic rate of this CPU's vector units, measured: each thread runs 12 independent
 * chains of one 512-bit instruction (enough to hide its latency), and the rate is counted from
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
static const char *kind;
static double rates[64];

static double now(void) { struct timespec t; clock_gettime(CLOCK_MONOTONIC, &t); return t.tv_sec + t.tv_nsec * 1e-9; }

static void *worker(void *arg) {
    int id = *(int *)arg; double start = now(), ops = 0, sink = 0;
    if (!strcmp(kind, "fp32")) {
#if defined(__AVX512F__)
        __m512 a[12]; __m512 m = _mm512_set1_ps(0.9999999f), c = _mm512_set1_ps(1e-7f);
        for (int k = 0; k < 12; k++) a[k] = _mm512_set1_ps(1.0f + k);
        for (long i = 0; i < ITERS; i++) for (int k = 0; k < 12; k++) a[k] = _mm512_fmadd_ps(a[k], m, c);
        for (int k = 0; k < 12; k++) sink += _mm512_reduce_add_ps(a[k]);
        ops = 12.0 * ITERS * 32;
#else
        __m256 a[12]; __m256 m = _mm256_set1_ps(0.9999999f), c = _mm256_set1_ps(1e-7f);
        for (int k = 0; k < 12; k++) a[k] = _mm256_set1_ps(1.0f + k);
        for (long i = 0; i < ITERS; i++) for (int k = 0; k < 12; k++) a[k] = _mm256_fmadd_ps(a[k], m, c);
        float lanes[8];
        for (int k = 0; k < 12; k++) { _mm256_storeu_ps(lanes, a[k]); for (int j = 0; j < 8; j++) sink += lanes[j]; }
        ops = 12.0 * ITERS * 16;
#endif
    } else if (!strcmp(kind, "fp16")) {
#if defined(__AVX512FP16__)
        __m512h a[12]; __m512h m = _mm512_set1_ph((_Float16)0.999f), c = _mm512_set1_ph((_Float16)1e-4f);
        for (int k = 0; k < 12; k++) a[k] = _mm512_set1_ph((_Float16)(1.0f + k));
        for (long i = 0; i < ITERS; i++) for (int k = 0; k < 12; k++) a[k] = _mm512_fmadd_ph(a[k], m, c);
        for (int k = 0; k < 12; k++) sink += (double)_mm512_reduce_add_ph(a[k]);
        ops = 12.0 * ITERS * 64;
#endif
    } else if (!strcmp(kind, "int8")) {
#if defined(__AVX512VNNI__) && defined(__AVX512BW__)
        __m512i a[12]; __m512i u = _mm512_set1_epi8(3), s = _mm512_set1_epi8(-2);
        for (int k = 0; k < 12; k++) a[k] = _mm512_set1_epi32(k);
        for (long i = 0; i < ITERS; i++) for (int k = 0; k < 12; k++) a[k] = _mm512_dpbusd_epi32(a[k], u, s);
        for (int k = 0; k < 12; k++) sink += _mm512_reduce_add_epi32(a[k]);
        ops = 12.0 * ITERS * 128;
#endif
    } else {   /* scalar clock: dependent imul, 3 cycles each */
        unsigned long x = 3 + id;
        for (long i = 0; i < 10 * ITERS; i++) __asm__ volatile("imul %0, %0\n\timul %0, %0\n\timul %0, %0\n\timul %0, %0" : "+r"(x));
        sink = (double)(x & 1); ops = 10.0 * ITERS * 4 * 3;   /* cycles */
    }
    rates[id] = ops / (now() - start) / 1e9;
    if (sink == 123456.0) puts("");
    return NULL;
}

int main(int argc, char **argv) {
    if (argc != 3) { fprintf(stderr, "usage: cpu_peak fp32|fp16|int8|clock THREADS\n"); return 2; }
    kind = argv[1]; int threads = atoi(argv[2]);
    int supported = !strcmp(kind, "clock") || !strcmp(kind, "fp32")
#if defined(__AVX512FP16__)
        || !strcmp(kind, "fp16")
#endif
#if defined(__AVX512VNNI__) && defined(__AVX512BW__)
        || !strcmp(kind, "int8")
#endif
        ;
    if (!supported) { fprintf(stderr, "%s: not available on this CPU\n", kind); return 3; }
    if (threads < 1 || threads > 64) { fprintf(stderr, "threads must be 1-64\n"); return 2; }
    pthread_t th[64]; int ids[64]; double total = 0;
    for (int t = 0; t < threads; t++) { ids[t] = t; pthread_create(&th[t], NULL, worker, &ids[t]); }
    for (int t = 0; t < threads; t++) { pthread_join(th[t], NULL); total += rates[t]; }
    printf("%s threads=%d %s=%.1f\n", kind, threads, strcmp(kind, "clock") ? "GOPS" : "GHz_per_thread_sum", total);
    return 0;
}
