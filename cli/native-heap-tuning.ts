/**
 * glibc malloc settings for ferry's long-running processes (worker, broker, `ferry start`,
 * MirrorMaker), made in the only way a running Node.js program can change them: by freeing one
 * large block.
 *
 * Why: a Buffer's bytes live outside V8's heap, in memory from malloc: socket reads, HTTP bodies,
 * fetched and produced batches, objects read from S3. On the data path they die by the tens of
 * megabytes at each garbage collection and are allocated again a moment later. With glibc's
 * defaults, malloc gives the top of its heap back to the kernel as soon as more than 128 KiB is
 * free there (trim_threshold), and serves each allocation over 128 KiB (mmap_threshold) with a
 * mapping of its own that free() unmaps. Either way the same bytes come back as new pages, and
 * the kernel takes a page fault for each 4 KiB of them, every time. A fault costs about 0.25 µs
 * on bare metal, but 12-24 µs on the Firecracker VMs ferry was measured on, which give freed
 * pages back to their host: there the S3 restore (`npm run bench:s3`) spent about a third of its CPU
 * in the kernel.
 *
 * How: glibc adjusts both thresholds itself when a block it had mapped on its own is freed: if
 * the block is at most 32 MiB (DEFAULT_MMAP_THRESHOLD_MAX on 64-bit), mmap_threshold becomes its
 * size and trim_threshold twice that. So one untouched block of just under 32 MiB, allocated here
 * and left to the garbage collector, raises them to 32 and 64 MiB for the rest of the process's
 * life: buffers up to 32 MiB come from the heap, and up to 64 MiB of freed memory stays with the
 * process for the next allocations, resident. That is the cost: the resident set may stay up to
 * 64 MiB above what is in use (peak RSS in `bench:s3` rose by 10-25 MB).
 *
 * When: each long-running command calls this once it is ready, not before. Start-up allocates
 * and frees much once (modules, the internal topics read back); raised before it, the thresholds
 * kept that memory resident: `ferry start` idled at 150.0-150.4 MB instead of 134-138 MB
 * (`bench:runtime`, whose target is under 150 MB); called once ready, it idles at 139-141 MB
 * against 135-139 MB in the same runs.
 *
 * Measured (bench/README, S3): the restore's ferry CPU fell from 5.0-7.5 s to 4.2-4.7 s, the
 * sink's from 3.7-6.0 s to 3.1-4.4 s. A cycle of 48 MiB of 1 MiB buffers allocated, filled and
 * collected takes 260 page faults instead of 12,300 (test/cli/native-heap-tuning.test.ts).
 *
 * Where this does nothing: under another C library (musl in Alpine images, macOS) the block is a
 * 32 MiB allocation never written, so never resident; and under glibc when the user set any of
 * MALLOC_TRIM_THRESHOLD_, MALLOC_TOP_PAD_, MALLOC_MMAP_THRESHOLD_, MALLOC_MMAP_MAX_ (or their
 * GLIBC_TUNABLES glibc.malloc.* forms): glibc then stops adjusting the thresholds, so the user's
 * settings stand.
 */

/** Just under glibc's 32 MiB ceiling for the dynamic threshold, with room for the chunk header and page rounding. */
const RAISING_BLOCK_BYTES = 32 * 1024 * 1024 - 64 * 1024;

/** Allocates the block whose collection raises glibc's thresholds; call once, when start-up is done. */
export function keepFreedNativeMemory(): void {
  // Never written: the kernel backs it with no page. It only has to be freed, by the collector.
  Buffer.allocUnsafeSlow(RAISING_BLOCK_BYTES);
}
